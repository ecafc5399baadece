// CPython's test_locks.py LockTests and EventTests, ported to our API. `await asyncio.sleep(0)` is
// `macrotasks(1)` here: every pending continuation runs once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Event, Lock, createTask, gather } from '../../src/core/index.js';
import { abortListeners, cancelledSoon, macrotasks, rejection } from './_helpers.js';

describe('Lock, ported from CPython test_locks.py', () => {
  test('test_acquire: waiters get the lock one release at a time, in arrival order', async () => {
    const lock = new Lock();
    const result: number[] = [];
    await lock.acquire();
    const waiter = (n: number) => createTask(async () => {
      await lock.acquire();
      result.push(n);
    });
    const t1 = waiter(1);
    const t2 = waiter(2);
    await macrotasks(1);
    assert.equal(result.length, 0);
    lock.release();
    await macrotasks(1);
    assert.deepEqual(result, [1]);
    const t3 = waiter(3);
    lock.release();
    await macrotasks(1);
    assert.deepEqual(result, [1, 2]);
    lock.release();
    await macrotasks(1);
    assert.deepEqual(result, [1, 2, 3]);
    assert.ok(t1.done() && t2.done() && t3.done());
  });

  test('test_acquire_cancel: a cancelled acquire leaves no waiter', async () => {
    const lock = new Lock();
    await lock.acquire();
    assert.ok((await cancelledSoon(() => lock.acquire())) instanceof CancelledError);
    assert.equal(lock.waiting, 0);
  });

  test('test_cancel_race: B cancelled while A releases; C gets the lock', async () => {
    const lock = new Lock();
    let unblockA!: () => void;
    const blocker = new Promise<void>((resolve) => (unblockA = resolve));
    const lockit = (blocked?: Promise<void>) => async () => {
      await lock.acquire();
      try {
        if (blocked) await blocked;
      } finally {
        lock.release();
      }
    };
    const ta = createTask(lockit(blocker));
    await macrotasks(1);
    assert.equal(lock.locked(), true);
    const tb = createTask(lockit());
    await macrotasks(1);
    const tc = createTask(lockit());
    await macrotasks(1);
    assert.equal(lock.waiting, 2);
    unblockA();
    tb.cancel();
    await macrotasks(1);
    assert.equal(ta.done(), true);
    assert.equal(tb.cancelled(), true);
    await tc;
    assert.equal(lock.locked(), false);
  });

  test('test_cancel_release_race: cancel the first waiter and release at once; only one takes the lock', async () => {
    const lock = new Lock();
    let taken = 0;
    await lock.acquire();
    const lockit = () => createTask(async () => {
      await lock.acquire();
      taken++;
    });
    const t1 = lockit();
    const t2 = lockit();
    const t3 = lockit();
    await macrotasks(1);
    t1.cancel();
    lock.release();
    await rejection(t1);
    await t2;
    assert.equal(taken, 1);
    assert.equal(t1.cancelled(), true);
    t3.cancel();
    await rejection(t3);
  });

  test('test_finished_waiter_cancelled: the waiter picked by release() is cancelled; the next one is woken', async () => {
    const lock = new Lock();
    await lock.acquire();
    const tb = createTask(() => lock.acquire());
    await macrotasks(1);
    const tc = createTask(() => lock.acquire());
    await macrotasks(1);
    lock.release(); // picks tb
    tb.cancel(); // before it resumed
    await macrotasks(1);
    assert.equal(tb.cancelled(), true);
    await tc;
    assert.equal(lock.locked(), true);
  });

  test('test_release_not_acquired: releasing an unlocked lock throws', () => {
    assert.throws(() => new Lock().release(), /Lock is not acquired/);
  });

  test('test_release_no_waiters and test_context_manager: locked() follows acquire, release and use()', async () => {
    const lock = new Lock();
    await lock.acquire();
    assert.equal(lock.locked(), true);
    lock.release();
    assert.equal(lock.locked(), false);
    const inside = await lock.use(() => lock.locked());
    assert.equal(inside, true);
    assert.equal(lock.locked(), false);
    await assert.rejects(lock.use(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(lock.locked(), false);
  });
});

describe('Event, ported from CPython test_locks.py', () => {
  test('test_wait: set() wakes every waiter; a waiter arriving later but before set() is woken too', async () => {
    const ev = new Event();
    assert.equal(ev.isSet(), false);
    const result: number[] = [];
    const waiter = (n: number) => createTask(async () => {
      if (await ev.wait()) result.push(n);
    });
    const t1 = waiter(1);
    const t2 = waiter(2);
    await macrotasks(1);
    assert.equal(result.length, 0);
    const t3 = createTask(async () => {
      if (await ev.wait()) result.push(3);
    }, { eager: true });
    ev.set();
    await macrotasks(1);
    assert.deepEqual(result, [1, 2, 3]); // arrival order
    assert.deepEqual(await gather(t1, t2, t3), [undefined, undefined, undefined]);
  });

  test('test_wait_on_set: a set event lets wait() through at once with true', async () => {
    const ev = new Event();
    ev.set();
    assert.equal(await ev.wait(), true);
  });

  test('test_wait_cancel: a cancelled wait leaves no waiter and no listener', async () => {
    const ev = new Event();
    const controller = new AbortController();
    const waiting = ev.wait({ signal: controller.signal });
    assert.equal(ev.waiting, 1);
    assert.equal(abortListeners(controller.signal), 1);
    setImmediate(() => controller.abort());
    assert.ok((await rejection(waiting)) instanceof CancelledError);
    assert.equal(ev.waiting, 0);
    assert.equal(abortListeners(controller.signal), 0);
  });

  test('test_clear: clear() resets the flag', () => {
    const ev = new Event();
    ev.set();
    assert.equal(ev.isSet(), true);
    ev.clear();
    assert.equal(ev.isSet(), false);
  });

  test('test_clear_with_waiters: set() then clear() still wakes the waiters of that set()', async () => {
    const ev = new Event();
    const result: number[] = [];
    const t = createTask(async () => {
      if (await ev.wait()) result.push(1);
      return true;
    });
    await macrotasks(1);
    ev.set();
    ev.clear();
    assert.equal(ev.isSet(), false);
    ev.set();
    ev.set();
    assert.equal(ev.waiting, 0);
    await macrotasks(1);
    assert.deepEqual(result, [1]);
    assert.equal(await t, true);
  });
});
