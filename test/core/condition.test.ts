// CPython's test_locks.py ConditionTests, ported to our API. `await asyncio.sleep(0)` is
// `macrotasks(1)` here: every pending continuation runs once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Condition, Lock, TimeoutError, createTask, waitFor } from '../../src/core/index.js';
import { cancelledSoon, macrotasks, rejection } from './_helpers.js';

describe('Condition, ported from CPython test_locks.py', () => {
  test('test_wait: notify() wakes one waiter, which runs once the notifier releases the lock', async () => {
    const cond = new Condition();
    const result: number[] = [];
    const waiter = (n: number) => createTask(async () => {
      await cond.acquire();
      if (await cond.wait()) result.push(n);
      return true;
    });
    const tasks = [waiter(1), waiter(2), waiter(3)];
    await macrotasks(1);
    assert.equal(result.length, 0);
    assert.equal(cond.locked(), false);

    await cond.acquire();
    cond.notify();
    await macrotasks(1);
    assert.equal(result.length, 0);
    assert.equal(cond.locked(), true);

    cond.release();
    await macrotasks(1);
    assert.deepEqual(result, [1]);
    assert.equal(cond.locked(), true); // waiter 1 holds it again

    cond.notify(2);
    await macrotasks(1);
    assert.deepEqual(result, [1]);

    cond.release();
    await macrotasks(1);
    assert.deepEqual(result, [1, 2]);
    cond.release();
    await macrotasks(1);
    assert.deepEqual(result, [1, 2, 3]);
    assert.equal(cond.locked(), true);
    for (const task of tasks) assert.equal(task.result(), true);
  });

  test('test_wait_cancel: a cancelled wait leaves no waiter and holds the lock again', async () => {
    const cond = new Condition();
    await cond.acquire();
    assert.ok((await cancelledSoon(() => cond.wait())) instanceof CancelledError);
    assert.equal(cond.waiting, 0);
    assert.equal(cond.locked(), true);
  });

  test('test_wait_cancel_contested: notified, then cancelled while the notifier still holds the lock: the waiter ends holding it', async () => {
    const cond = new Condition();
    await cond.acquire();
    const waitTask = createTask(() => cond.wait());
    await macrotasks(1);
    assert.equal(cond.locked(), false);
    await cond.acquire();
    cond.notify();
    setImmediate(() => waitTask.cancel());
    setImmediate(() => cond.release());
    await waitTask.then(undefined, (error: unknown) => assert.ok(error instanceof CancelledError));
    assert.equal(cond.locked(), true, 'the waiter holds the lock again, cancelled or not');
  });

  test('test_wait_cancel_after_notify: cancelled while re-acquiring the lock, the waiter still gets it before CancelledError', async () => {
    const cond = new Condition();
    let waited = false;
    let heldWhenCancelled: boolean | undefined;
    const waiter = createTask(async () => {
      await cond.acquire();
      waited = true;
      try {
        await cond.wait();
      } catch (error) {
        heldWhenCancelled = cond.locked();
        cond.release();
        throw error;
      }
    });
    await macrotasks(1);
    await cond.acquire();
    cond.notify();
    await macrotasks(1);
    waiter.cancel();
    await macrotasks(1);
    cond.release();
    await macrotasks(2);
    assert.equal(waiter.cancelled(), true);
    assert.equal(waited, true);
    assert.equal(heldWhenCancelled, true);
    assert.equal(cond.locked(), false);
  });

  test('a waiter notified but cancelled before it resumed passes the notification on', async () => {
    const cond = new Condition();
    const woken: string[] = [];
    const waiter = (name: string) => createTask(() => cond.use(async () => {
      await cond.wait();
      woken.push(name);
    }));
    const a = waiter('a');
    const b = waiter('b');
    await macrotasks(1);
    await cond.use(() => {
      cond.notify(); // picks a
      a.cancel(); // before it resumed: b must get the notification
    });
    await rejection(a);
    await b;
    assert.deepEqual(woken, ['b']);
  });

  test('test_wait_unacquired and test_notify_unacquired: wait, notify and notifyAll need the lock', async () => {
    const cond = new Condition();
    await assert.rejects(cond.wait(), /needs the lock/);
    assert.throws(() => cond.notify(), /needs the lock/);
    assert.throws(() => cond.notifyAll(), /needs the lock/);
  });

  test('test_wait_for: waits until the predicate holds, rechecking after each notify', async () => {
    const cond = new Condition();
    let ready = false;
    const result: number[] = [];
    const t = createTask(async () => {
      await cond.acquire();
      if (await cond.waitFor(() => ready)) {
        result.push(1);
        cond.release();
      }
      return true;
    });
    await macrotasks(1);
    await cond.use(() => cond.notify());
    await macrotasks(1);
    assert.equal(result.length, 0);
    ready = true;
    await cond.use(() => cond.notify());
    await macrotasks(1);
    assert.deepEqual(result, [1]);
    assert.equal(await t, true);
  });

  test('test_wait_for_unacquired: a predicate already true returns at once; otherwise the lock is needed', async () => {
    const cond = new Condition();
    assert.deepEqual(await cond.waitFor(() => [1, 2, 3]), [1, 2, 3]);
    await assert.rejects(cond.waitFor(() => false), /needs the lock/);
  });

  test('test_notify: notify(1) wakes one, notify(2048) the rest', async () => {
    const cond = new Condition();
    const result: number[] = [];
    const tasks = [1, 2, 3].map((n) => createTask(async () => {
      await cond.acquire();
      if (await cond.wait()) {
        result.push(n);
        cond.release();
      }
    }));
    await macrotasks(1);
    await cond.use(() => cond.notify(1));
    await macrotasks(1);
    assert.deepEqual(result, [1]);
    await cond.use(() => {
      cond.notify(1);
      cond.notify(2048);
    });
    await macrotasks(2);
    assert.deepEqual(result, [1, 2, 3]);
    assert.ok(tasks.every((task) => task.done()));
  });

  test('test_notify_all: every waiter wakes, in arrival order', async () => {
    const cond = new Condition();
    const result: number[] = [];
    const tasks = [1, 2].map((n) => createTask(() => cond.use(async () => {
      await cond.wait();
      result.push(n);
    })));
    await macrotasks(1);
    await cond.use(() => cond.notifyAll());
    await macrotasks(2);
    assert.deepEqual(result, [1, 2]);
    assert.ok(tasks.every((task) => task.done()));
  });

  test('test_explicit_lock: a condition over a shared lock is locked exactly when the lock is', async () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    await cond.use(() => assert.equal(lock.locked(), true));
    assert.equal(lock.locked(), false);
    await lock.use(() => assert.equal(cond.locked(), true));
    assert.equal(cond.locked(), false);
    assert.throws(() => new Condition({} as Lock), /to be a Lock/);
  });

  test('test_timeout_in_block: waitFor(cond.wait(), ms) times out and leaves the lock held', async () => {
    const cond = new Condition();
    await cond.use(async () => {
      await assert.rejects(waitFor((signal) => cond.wait({ signal }), 20), TimeoutError);
      assert.equal(cond.locked(), true);
    });
    assert.equal(cond.locked(), false);
  });
});
