// CPython's Lib/test/test_asyncio/test_locks.py SemaphoreTests, ported to our API: gh-90155 (a waiter
// cancelled after release() picked it raises CancelledError, its body never runs, the permit passes
// on) and strict FIFO order. `await asyncio.sleep(0)` is `macrotasks(1)` here: every pending
// continuation runs once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Semaphore, TaskGroup, createTask, gather, sleep, waitFor } from '../../src/core/index.js';
import { cancelledSoon, macrotasks, rejection } from './_helpers.js';

describe('Semaphore, ported from CPython test_locks.py', () => {
  test('test_acquire_no_hang (gh-90155): a waiter cancelled right after release() never runs its body, the permit passes on', async () => {
    const sem = new Semaphore(1);
    let bodyRan = false;
    const t1 = createTask(async () => {
      await sem.use(() => sleep(0));
      t2.cancel(); // release() has just picked t2; it has not resumed yet
    });
    const t2 = createTask(() =>
      sem.use(() => {
        bodyRan = true;
      }),
    );
    const [r1, r2] = await gather([t1, t2], { returnExceptions: true });
    assert.equal(r1, undefined);
    assert.ok(r2 instanceof CancelledError);
    assert.equal(bodyRan, false, 'the cancelled waiter must not run its body');
    await waitFor(sem.acquire(), 1_000); // the permit was not lost
    assert.equal(sem.value, 0);
  });

  test('the permit of a waiter cancelled after being picked goes to the next waiter, not back to a newcomer', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const order: string[] = [];
    const a = createTask(() => sem.acquire().then(() => order.push('a')));
    const b = createTask(() => sem.acquire().then(() => order.push('b')));
    await macrotasks(1);
    sem.release(); // picks a
    a.cancel(); // ... which is cancelled before it resumes
    assert.equal(sem.tryAcquire(), false, 'the permit is on its way to b');
    await rejection(a);
    await b;
    assert.deepEqual(order, ['b']);
    assert.equal(sem.value, 0);
    assert.equal(sem.waiting, 0);
  });

  test('test_acquire_cancel: a cancelled acquire leaves the queue', async () => {
    const sem = new Semaphore();
    await sem.acquire();
    assert.ok((await cancelledSoon(() => sem.acquire())) instanceof CancelledError);
    assert.equal(sem.waiting, 0);
  });

  test('test_acquire_cancel_before_awoken: cancelled waiters are skipped, the next one is woken', async () => {
    const sem = new Semaphore(0);
    const tasks = [0, 1, 2, 3].map(() => createTask(() => sem.acquire()));
    await macrotasks(1);
    tasks[0].cancel();
    tasks[1].cancel();
    sem.release();
    await macrotasks(2);
    assert.equal(tasks[2].done(), true);
    assert.equal(tasks[3].done(), false);
    tasks[2].cancel();
    tasks[3].cancel();
    await gather(tasks, { returnExceptions: true });
  });

  test('test_acquire_hang: a waiter cancelled before release() does not swallow the permit', async () => {
    const sem = new Semaphore(0);
    const t1 = createTask(() => sem.acquire());
    const t2 = createTask(() => sem.acquire());
    await macrotasks(1);
    t1.cancel();
    sem.release();
    await macrotasks(2);
    assert.equal(sem.locked(), true);
    assert.equal(t2.done(), true);
  });

  test('test_acquire_fifo_order: holders alternate in arrival order', async () => {
    const sem = new Semaphore(1);
    const result: string[] = [];
    const coro = (tag: string) => async () => {
      for (const round of [1, 2]) {
        await sem.acquire();
        result.push(`${tag}_${round}`);
        await sleep(5);
        sem.release();
      }
    };
    await TaskGroup.run((group) => {
      for (const tag of ['c1', 'c2', 'c3']) group.createTask(coro(tag));
    });
    assert.deepEqual(result, ['c1_1', 'c2_1', 'c3_1', 'c1_2', 'c2_2', 'c3_2']);
  });

  test('test_acquire_fifo_order_2: a re-acquire queues behind earlier waiters', async () => {
    const sem = new Semaphore(1);
    const result: number[] = [];
    const t1 = createTask(async () => {
      await sem.acquire();
      result.push(1);
    });
    const t2 = createTask(async () => {
      await sem.acquire();
      result.push(2);
      sem.release();
      await sem.acquire();
      result.push(4);
    });
    const t3 = createTask(async () => {
      await sem.acquire();
      result.push(3);
    });
    await macrotasks(1);
    sem.release();
    sem.release();
    await gather(t1, t2, t3);
    assert.deepEqual(result, [1, 2, 3, 4]);
  });

  test('test_acquire_fifo_order_3: a cancelled first waiter leaves the order of the others intact', async () => {
    const sem = new Semaphore(0);
    const result: number[] = [];
    const tasks = [1, 2, 3].map((n) =>
      createTask(async () => {
        await sem.acquire();
        result.push(n);
      }),
    );
    await macrotasks(1);
    tasks[0].cancel();
    await macrotasks(1);
    sem.release();
    sem.release();
    await gather(tasks, { returnExceptions: true });
    assert.deepEqual(result, [2, 3]);
  });
});
