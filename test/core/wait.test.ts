// asyncio.wait, with the cases of CPython's test_tasks.py (test_wait, test_wait_first_completed,
// test_wait_really_done, test_wait_first_exception, test_wait_first_exception_in_wait,
// test_wait_with_exception, test_wait_with_timeout, test_wait_duplicate_coroutines, test_wait_errors)
// ported to our API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Task, createTask, sleep, wait } from '../../src/core/index.js';
import { abortListeners, activeTimers, deferred, rejection, spyUnhandled } from './_helpers.js';

describe('wait, ported from CPython test_tasks.py', () => {
  test('test_wait: ALL_COMPLETED by default; done holds every task, pending none', async () => {
    const a = createTask(() => sleep(10, 'a'));
    const b = createTask(() => sleep(15, 'b'));
    const { done, pending } = await wait([b, a]);
    assert.deepEqual(done, new Set([a, b]));
    assert.equal(pending.size, 0);
    assert.deepEqual([await a, await b], ['a', 'b']);
  });

  test('test_wait_first_completed: returns with the first; the other is pending and NOT cancelled', async () => {
    const slow = createTask(() => sleep(10_000));
    const fast = createTask(() => sleep(10, 'fast'));
    const { done, pending } = await wait([slow, fast], { returnWhen: 'FIRST_COMPLETED' });
    assert.deepEqual(done, new Set([fast]));
    assert.deepEqual(pending, new Set([slow]));
    assert.equal(slow.done(), false);
    slow.cancel();
    await rejection(slow);
  });

  test('test_wait_really_done: awaitables settling in the same turn are all in done', async () => {
    const a = Promise.resolve('a');
    const b = Promise.resolve('b');
    const { done, pending } = await wait([a, b], { returnWhen: 'FIRST_COMPLETED' });
    assert.deepEqual(done, new Set([a, b]));
    assert.equal(pending.size, 0);
  });

  test('test_wait_first_exception: returns at the first failure; a cancellation is not a failure', async () => {
    const slow = createTask(() => sleep(10_000));
    const cancelled = createTask(() => sleep(10_000));
    const failing = createTask(async () => {
      await sleep(20);
      throw new RangeError('boom');
    });
    cancelled.cancel();
    const { done, pending } = await wait([slow, cancelled, failing], { returnWhen: 'FIRST_EXCEPTION' });
    assert.deepEqual(done, new Set([cancelled, failing]));
    assert.deepEqual(pending, new Set([slow]));
    slow.cancel();
    await rejection(slow);
  });

  test('test_wait_first_exception with no failure is ALL_COMPLETED; test_wait_with_exception: failures are in done', async () => {
    const ok = createTask(() => sleep(5, 1));
    const fails = createTask(async () => {
      await sleep(1);
      throw new Error('x');
    });
    const first = await wait([ok], { returnWhen: 'FIRST_EXCEPTION' });
    assert.deepEqual(first.done, new Set([ok]));
    const all = await wait([ok, fails]);
    assert.deepEqual(all.done, new Set([ok, fails]));
    await assert.rejects(fails, /x/);
  });

  test('test_wait_with_timeout: returns what is done by the deadline; the rest keeps running', async () => {
    const fast = createTask(() => sleep(5, 'fast'));
    const slow = createTask(() => sleep(300, 'slow'));
    const { done, pending } = await wait([fast, slow], { timeout: 60 });
    assert.deepEqual(done, new Set([fast]));
    assert.deepEqual(pending, new Set([slow]));
    assert.equal(slow.done(), false);
    assert.equal(await slow, 'slow');
  });

  test('a wait that ends before its timeout clears the timer', async () => {
    const timers = activeTimers();
    await wait([Promise.resolve(1)], { timeout: 60_000 });
    assert.equal(activeTimers(), timers);
  });

  test('test_wait_duplicate_coroutines: the same awaitable twice counts once; a job becomes a Task', async () => {
    const promise = sleep(1, 'p');
    const job = () => sleep(1, 'j');
    const { done, pending } = await wait([promise, promise, job, job]);
    assert.equal(done.size, 2);
    assert.equal(pending.size, 0);
    const [first, second] = [...done];
    assert.equal(first, promise);
    assert.ok(second instanceof Task);
    assert.equal(await second, 'j');
  });

  test('test_wait_errors: an empty iterable, a bad returnWhen, a non-awaitable', async () => {
    assert.throws(() => wait([]), RangeError);
    assert.throws(() => wait([Promise.resolve(1)], { returnWhen: 'FIRST' as 'FIRST_COMPLETED' }), /Expected `returnWhen`/);
    assert.throws(() => wait([5 as unknown as Promise<number>]), /inputs\[0\] is `5`/);
    assert.throws(() => wait(5 as unknown as Promise<number>[]), /Expected `inputs` of wait\(\) to be an iterable/);
  });
});

describe('wait: cancellation', () => {
  test('cancelling the wait rejects with CancelledError, cancels only the Tasks it started for jobs, leaves no listener', async () => {
    const controller = new AbortController();
    const mine = createTask(() => sleep(10_000));
    let jobSawCancel = false;
    const job = async (signal: AbortSignal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      jobSawCancel = true;
    };
    const waiting = wait([mine, job], { signal: controller.signal });
    assert.equal(abortListeners(controller.signal), 1);
    setTimeout(() => controller.abort(), 5);
    assert.ok((await rejection(waiting)) instanceof CancelledError);
    assert.equal(jobSawCancel, true);
    assert.equal(mine.done(), false, 'a Task you passed is yours');
    assert.equal(abortListeners(controller.signal), 0);
    mine.cancel();
    await rejection(mine);
  });

  test('failures of awaitables nobody awaits are not unhandled rejections', async () => {
    const spy = spyUnhandled();
    const gate = deferred();
    const failing = gate.promise.then(() => {
      throw new Error('late');
    });
    await wait([failing, sleep(1)], { returnWhen: 'FIRST_COMPLETED' });
    gate.resolve();
    await sleep(10);
    assert.deepEqual(spy.stop(), []);
  });
});
