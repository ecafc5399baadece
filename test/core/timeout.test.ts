import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, TimeoutError, createTask, currentSignal, sleep, timeout, waitFor } from '../../src/core/index.js';
import { abortListeners, activeTimers, delay, rejection } from './_helpers.js';

/** A job whose cleanup takes 20 ms after its signal aborts; `log` shows what ran when. */
function slowCleanupJob(log: string[], value = 'value', ms = 1_000): (signal: AbortSignal) => Promise<string> {
  return async (signal) => {
    try {
      await sleep(ms, undefined, { signal });
      return value;
    } finally {
      await delay(20);
      log.push('job finally');
    }
  };
}

describe('waitFor', () => {
  test('success before the deadline resolves the value and clears the timer', async () => {
    const before = activeTimers();
    assert.equal(await waitFor(() => sleep(5, 'in time'), 1_000), 'in time');
    assert.equal(await waitFor(delay(5, 'promise'), 1_000), 'promise');
    assert.equal(await waitFor(createTask(() => 'task'), 1_000), 'task');
    assert.equal(activeTimers(), before, 'the 1 s deadline timer is gone');
  });

  test('on expiry the job is cancelled and has settled before TimeoutError rejects', async () => {
    const log: string[] = [];
    const started = Date.now();
    const error = await rejection(waitFor(slowCleanupJob(log), 20));
    log.push('TimeoutError observed');
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.ms, 20);
    assert.equal(error.message, 'timed out after 20 ms');
    assert.deepEqual(log, ['job finally', 'TimeoutError observed']);
    assert.ok(Date.now() - started >= 35, 'it waited for the cleanup');
  });

  test('on expiry a Task passed in is cancelled and awaited', async () => {
    const log: string[] = [];
    const task = createTask(slowCleanupJob(log));
    const error = await rejection(waitFor(task, 10));
    assert.ok(error instanceof TimeoutError);
    assert.deepEqual(log, ['job finally']);
    assert.equal(task.cancelled(), true);
  });

  test('on expiry a plain promise is no longer waited for: TimeoutError at once', async () => {
    const started = Date.now();
    const slow = delay(300, 'late');
    const error = await rejection(waitFor(slow, 10));
    assert.ok(error instanceof TimeoutError);
    assert.ok(Date.now() - started < 250);
    assert.equal(await slow, 'late');
  });

  test('a job that ignores the cancel and returns a value still ends in TimeoutError', async () => {
    let finished = false;
    const error = await rejection(
      waitFor(async () => {
        await delay(30); // ignores its signal
        finished = true;
        return 'too late';
      }, 5),
    );
    assert.ok(error instanceof TimeoutError);
    assert.equal(finished, true, 'the job had settled before the rejection');
  });

  test('the job failure passes through unchanged', async () => {
    const failure = new Error('inner');
    assert.equal(await rejection(waitFor(() => Promise.reject(failure), 1_000)), failure);
    assert.equal(await rejection(waitFor(Promise.reject(failure), 1_000)), failure);
  });

  test('ms null or Infinity means no deadline', async () => {
    const before = activeTimers();
    const waiting = waitFor(() => sleep(30, 'no deadline'), null);
    await delay(1);
    assert.equal(activeTimers(), before + 1, 'only the sleep timer');
    assert.equal(await waiting, 'no deadline');
    assert.equal(await waitFor(() => 1, Number.POSITIVE_INFINITY), 1);
  });

  test('plain values resolve as they are', async () => {
    assert.equal(await waitFor(42, 10), 42);
    const object = { a: 1 };
    assert.equal(await waitFor(object, 10), object);
  });

  test('the signal option cancels the wait and the job: CancelledError, no listener left', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const waiting = waitFor(slowCleanupJob(log), 1_000, { signal: controller.signal });
    await delay(5);
    controller.abort('user');
    const error = await rejection(waiting);
    log.push('rejected');
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'user');
    assert.deepEqual(log, ['job finally', 'rejected']);
    assert.equal(abortListeners(controller.signal), 0);
  });

  test('an already aborted signal rejects at once and never starts the job', async () => {
    let ran = false;
    const error = await rejection(
      waitFor(
        () => {
          ran = true;
        },
        100,
        { signal: AbortSignal.abort() },
      ),
    );
    assert.ok(error instanceof CancelledError);
    await delay(2);
    assert.equal(ran, false);
  });

  test('waitFor(undefined) is a TypeError about a forgotten return', () => {
    assert.throws(() => waitFor(undefined, 10), { name: 'TypeError', message: /forget to `return`/ });
  });
});

describe('timeout', () => {
  test('resolves the job value before the deadline and clears the timer', async () => {
    const before = activeTimers();
    assert.equal(await timeout(1_000, async () => sleep(5, 'ok')), 'ok');
    assert.equal(activeTimers(), before);
  });

  test('on expiry the job (and the sleep() it awaits without a signal) is cancelled and settled before TimeoutError', async () => {
    const log: string[] = [];
    let jobSignal: AbortSignal | undefined;
    let sleepError: unknown;
    const error = await rejection(
      timeout(20, async (signal) => {
        jobSignal = signal;
        assert.equal(currentSignal(), signal);
        try {
          await sleep(1_000); // ambient scope: no signal passed
        } catch (caught) {
          sleepError = caught;
          throw caught;
        } finally {
          await delay(20);
          log.push('job finally');
        }
      }),
    );
    log.push('TimeoutError observed');
    assert.ok(error instanceof TimeoutError);
    assert.deepEqual(log, ['job finally', 'TimeoutError observed']);
    assert.equal(jobSignal?.aborted, true);
    assert.ok(sleepError instanceof CancelledError);
    assert.ok((sleepError as CancelledError).reason instanceof TimeoutError, 'the cancel says why');
  });

  test('the job failure passes through unchanged', async () => {
    const failure = new RangeError('inner');
    assert.equal(await rejection(timeout(1_000, () => Promise.reject(failure))), failure);
  });

  test('the signal option cancels: CancelledError', async () => {
    const controller = new AbortController();
    const running = timeout(1_000, (signal) => sleep(1_000, undefined, { signal }), { signal: controller.signal });
    await delay(2);
    controller.abort();
    assert.ok((await rejection(running)) instanceof CancelledError);
    assert.equal(abortListeners(controller.signal), 0);
  });
});
