// CPython's test_locks.py BarrierTests, ported to our API (N = 5 parties unless said).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Barrier, BrokenBarrierError, CancelledError, createTask, gather } from '../../src/core/index.js';
import { macrotasks, rejection } from './_helpers.js';

const N = 5;

/** Runs `n` copies of `job` as tasks and gathers them. */
function gatherTasks<T>(n: number, job: () => Promise<T>): Promise<T[]> {
  return gather(Array.from({ length: n }, () => createTask(job)));
}

describe('Barrier, ported from CPython test_locks.py', () => {
  test('test_barrier_parties: parties must be an integer from 1 up', () => {
    assert.throws(() => new Barrier(0), RangeError);
    assert.throws(() => new Barrier(-4), RangeError);
    assert.throws(() => new Barrier('3' as unknown as number), TypeError);
    assert.equal(new Barrier(N).parties, N);
  });

  test('test_context_manager / test_filling_tasks_check_return_value: arrival indexes are 0 .. N-1', async () => {
    const barrier = new Barrier(N);
    const indexes = await gatherTasks(N, () => barrier.wait());
    assert.deepEqual([...indexes].sort(), [0, 1, 2, 3, 4]);
    assert.equal(barrier.nWaiting, 0);
    assert.equal(barrier.broken, false);
  });

  test('test_filling_one_task and test_filling_one_task_twice: a barrier of 1 passes at once, every time', async () => {
    const barrier = new Barrier(1);
    assert.equal(await barrier.wait(), 0);
    assert.equal(await barrier.wait(), 0);
    assert.equal(barrier.nWaiting, 0);
  });

  test('test_filling_task_by_task: nWaiting counts arrivals until the last one releases all', async () => {
    const barrier = new Barrier(3);
    const t1 = createTask(() => barrier.wait());
    await macrotasks(1);
    assert.equal(barrier.nWaiting, 1);
    const t2 = createTask(() => barrier.wait());
    await macrotasks(1);
    assert.equal(barrier.nWaiting, 2);
    const t3 = createTask(() => barrier.wait());
    assert.deepEqual(await gather(t1, t2, t3), [0, 1, 2]);
    assert.equal(barrier.nWaiting, 0);
  });

  test('test_filling_tasks_wait_twice: the barrier is cyclic', async () => {
    const barrier = new Barrier(N);
    const results: boolean[] = [];
    await gatherTasks(N, async () => {
      await barrier.wait();
      results.push(true);
      await barrier.wait();
      results.push(false);
    });
    assert.deepEqual(results, [...Array(N).fill(true), ...Array(N).fill(false)]);
  });

  test('test_blocking_tasks_while_draining: tasks of the next round wait for it to fill', async () => {
    const barrier = new Barrier(N);
    const others = new Barrier(N - 2);
    let rewait = 2;
    await gatherTasks(N, async () => {
      await barrier.wait();
      if (rewait > 0) {
        rewait--;
        await barrier.wait();
      } else {
        await others.wait();
        await barrier.wait();
      }
    });
    assert.equal(barrier.nWaiting, 0);
  });

  test('test_filling_tasks_cancel_one: a cancelled waiter leaves, the others still need a full round', async () => {
    const barrier = new Barrier(3);
    const results: boolean[] = [];
    const coro = async (): Promise<void> => {
      await barrier.wait();
      results.push(true);
    };
    const t1 = createTask(coro);
    await macrotasks(1);
    const t2 = createTask(coro);
    await macrotasks(1);
    assert.equal(barrier.nWaiting, 2);
    t1.cancel();
    await macrotasks(1);
    assert.equal(barrier.nWaiting, 1);
    assert.ok((await rejection(t1)) instanceof CancelledError);
    const t3 = createTask(coro);
    await macrotasks(1);
    assert.equal(barrier.nWaiting, 2);
    const t4 = createTask(coro);
    await gather(t2, t3, t4);
    assert.deepEqual(results, [true, true, true]);
    assert.equal(barrier.broken, false);
  });

  test('test_reset_barrier_while_tasks_waiting: reset() fails the waiters with BrokenBarrierError; the barrier is usable again', async () => {
    const barrier = new Barrier(N);
    const broken: boolean[] = [];
    const tasks = Array.from({ length: N - 1 }, () => createTask(async () => {
      try {
        await barrier.wait();
      } catch (error) {
        if (error instanceof BrokenBarrierError) broken.push(true);
      }
    }));
    await macrotasks(1);
    barrier.reset();
    await gather(tasks);
    assert.deepEqual(broken, Array(N - 1).fill(true));
    assert.equal(barrier.nWaiting, 0);
    assert.equal(barrier.broken, false);
  });

  test('test_reset_barrier_while_tasks_waiting_and_waiting_again: after a reset the same tasks fill a new round', async () => {
    const barrier = new Barrier(N);
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    const tasks = Array.from({ length: N - 1 }, () => createTask(async () => {
      try {
        await barrier.wait();
      } catch (error) {
        if (error instanceof BrokenBarrierError) results1.push(true);
      } finally {
        await barrier.wait();
        results2.push(true);
      }
    }));
    await macrotasks(1);
    barrier.reset();
    await macrotasks(1);
    const last = createTask(async () => {
      await barrier.wait();
      results2.push(true);
    });
    await gather([...tasks, last]);
    assert.equal(results1.length, N - 1);
    assert.equal(results2.length, N);
    assert.equal(barrier.broken, false);
  });

  test('test_abort_barrier: abort() breaks it; waits fail until reset()', async () => {
    const barrier = new Barrier(1);
    barrier.abort();
    assert.equal(barrier.broken, true);
    await assert.rejects(barrier.wait(), BrokenBarrierError);
    barrier.reset();
    assert.equal(barrier.broken, false);
    assert.equal(await barrier.wait(), 0);
  });

  test('test_abort_barrier_when_exception: the task that fails aborts; every other waiter gets BrokenBarrierError', async () => {
    const barrier = new Barrier(N);
    const results1: boolean[] = [];
    const results2: boolean[] = [];
    await gatherTasks(N, async () => {
      try {
        const i = await barrier.wait();
        if (i === Math.floor(N / 2)) throw new RangeError('boom');
        await barrier.wait();
        results1.push(true);
      } catch (error) {
        if (error instanceof BrokenBarrierError) results2.push(true);
        else barrier.abort();
      }
    });
    assert.equal(barrier.broken, true);
    assert.equal(results1.length, 0);
    assert.equal(results2.length, N - 1);
    assert.equal(barrier.nWaiting, 0);
  });

  test('test_abort_barrier_when_exception_then_resetting: a second barrier synchronises the reset', async () => {
    const barrier1 = new Barrier(N);
    const barrier2 = new Barrier(N);
    const results2: boolean[] = [];
    const results3: boolean[] = [];
    await gatherTasks(N, async () => {
      try {
        const i = await barrier1.wait();
        if (i === Math.floor(N / 2)) throw new RangeError('boom');
        await barrier1.wait();
      } catch (error) {
        if (error instanceof BrokenBarrierError) results2.push(true);
        else barrier1.abort();
      }
      const i = await barrier2.wait();
      if (i === Math.floor(N / 2)) barrier1.reset();
      await barrier2.wait();
      await barrier1.wait();
      results3.push(true);
    });
    assert.equal(barrier1.broken, false);
    assert.equal(results2.length, N - 1);
    assert.equal(results3.length, N);
  });
});
