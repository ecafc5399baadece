// After every kind of run (success, failure, cancel, timeout) no abort listener is left on a signal
// the caller passed, and no timer is left behind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Semaphore,
  TaskGroup,
  TimeoutError,
  asCompleted,
  createTask,
  gather,
  map,
  sleep,
  timeout,
  waitFor,
} from '../../src/core/index.js';
import { abortListeners, activeTimers, delay, settle } from './_helpers.js';

const fail = async (): Promise<never> => {
  await sleep(1);
  throw new Error('failure');
};

/**
 * Runs `scenario` with a live signal it must pass to the primitive, waits for the run to settle
 * (and for work left running by design to end), then checks listeners and timers.
 */
async function noLeak(scenario: (signal: AbortSignal) => PromiseLike<unknown>, expect: 'ok' | 'error' = 'ok'): Promise<void> {
  const controller = new AbortController();
  const timers = activeTimers();
  const outcome = await settle(scenario(controller.signal));
  assert.equal(outcome.ok, expect === 'ok', outcome.ok ? 'expected a failure' : `unexpected failure: ${String(outcome.ok || outcome.error)}`);
  await delay(25); // siblings that keep running by design (default gather mode) end within this
  assert.equal(abortListeners(controller.signal), 0, 'abort listener left on the signal passed in');
  assert.equal(activeTimers(), timers, 'timer left behind');
}

/** Cancels `start(signal)` through the ambient scope of a gather job, while `signal` stays live. */
function cancelledFromOutside(start: (signal: AbortSignal) => PromiseLike<unknown>): (signal: AbortSignal) => Promise<unknown> {
  return async (signal) => {
    const outer = gather(() => start(signal));
    await sleep(3);
    outer.cancel();
    return outer;
  };
}

describe('gather', () => {
  test('success, failure, cancelOnError, returnExceptions, cancel', async () => {
    await noLeak((signal) => gather([() => sleep(2, 1), () => 2], { signal }));
    await noLeak((signal) => gather([fail, () => sleep(10)], { signal }), 'error');
    await noLeak((signal) => gather([fail, () => sleep(50)], { signal, cancelOnError: true }), 'error');
    await noLeak((signal) => gather([fail, () => sleep(2)], { signal, returnExceptions: true }));
    await noLeak(async (signal) => {
      const run = gather([() => sleep(1_000), () => sleep(1_000)], { signal, limit: 1 });
      await sleep(2);
      run.cancel();
      return run;
    }, 'error');
    await noLeak(cancelledFromOutside((signal) => gather([() => sleep(1_000)], { signal })), 'error');
  });

  test('promises only: success, failure, cancel', async () => {
    await noLeak((signal) => gather([sleep(2, 1), Promise.resolve(2)], { signal }));
    await noLeak((signal) => gather([Promise.reject(new Error('x')), sleep(2)], { signal }), 'error');
    await noLeak(async (signal) => {
      const run = gather([sleep(10)], { signal });
      run.cancel();
      return run;
    }, 'error');
  });
});

describe('createTask and sleep', () => {
  test('success, failure, cancel', async () => {
    await noLeak((signal) => createTask(() => sleep(2, 'ok'), { signal }));
    await noLeak((signal) => createTask(fail, { signal }), 'error');
    await noLeak(async (signal) => {
      const task = createTask(() => sleep(1_000), { signal });
      await sleep(2);
      task.cancel();
      return task;
    }, 'error');
    await noLeak((signal) => sleep(2, 'ok', { signal }));
    await noLeak(cancelledFromOutside((signal) => sleep(1_000, undefined, { signal })), 'error');
  });
});

describe('Semaphore', () => {
  test('granted after waiting, cancelled while waiting, use() failing', async () => {
    const sem = new Semaphore(1);
    await noLeak(async (signal) => {
      await sem.acquire();
      const waiting = sem.acquire({ signal });
      sem.release();
      await waiting;
      sem.release();
    });
    await noLeak(cancelledFromOutside(async (signal) => {
      await sem.acquire();
      try {
        await sem.acquire({ signal });
      } finally {
        sem.release();
      }
    }), 'error');
    await noLeak((signal) => sem.use(fail, { signal }), 'error');
    assert.equal(sem.value, 1);
  });
});

describe('TaskGroup', () => {
  test('success, failure, cancel', async () => {
    await noLeak((signal) => TaskGroup.run((group) => void group.createTask(() => sleep(2)), { signal }));
    await noLeak((signal) => TaskGroup.run((group) => {
      group.createTask(fail);
      group.createTask(() => sleep(1_000));
    }, { signal }), 'error');
    await noLeak(cancelledFromOutside((signal) => TaskGroup.run((group) => void group.createTask(() => sleep(1_000)), { signal })), 'error');
  });
});

describe('asCompleted', () => {
  const drain = async (iterable: AsyncIterable<unknown>): Promise<void> => {
    for await (const _ of iterable);
  };

  test('success, failure, break, timeout, cancel', async () => {
    await noLeak((signal) => drain(asCompleted([() => sleep(2), sleep(3)], { signal, timeout: 1_000 })));
    await noLeak((signal) => drain(asCompleted([fail, () => sleep(1_000)], { signal, timeout: 1_000 })), 'error');
    await noLeak(async (signal) => {
      for await (const _ of asCompleted([() => sleep(1), () => sleep(1_000)], { signal, timeout: 1_000 })) break;
    });
    await noLeak(async (signal) => {
      const error = await settle(drain(asCompleted([() => sleep(1_000)], { signal, timeout: 5 })));
      assert.ok(!error.ok && error.error instanceof TimeoutError);
      throw error.error;
    }, 'error');
    await noLeak(cancelledFromOutside((signal) => drain(asCompleted([() => sleep(1_000)], { signal }))), 'error');
  });
});

describe('waitFor and timeout', () => {
  test('success, failure, timeout, cancel', async () => {
    await noLeak((signal) => waitFor(() => sleep(2), 1_000, { signal }));
    await noLeak((signal) => waitFor(fail, 1_000, { signal }), 'error');
    await noLeak((signal) => waitFor(() => sleep(1_000), 5, { signal }), 'error');
    await noLeak((signal) => waitFor(sleep(15), 5, { signal }), 'error'); // the promise itself runs on, briefly
    await noLeak(cancelledFromOutside((signal) => waitFor(() => sleep(1_000), 1_000, { signal })), 'error');
    await noLeak((signal) => timeout(1_000, () => sleep(2), { signal }));
    await noLeak((signal) => timeout(1_000, fail, { signal }), 'error');
    await noLeak((signal) => timeout(5, () => sleep(1_000), { signal }), 'error');
    await noLeak(cancelledFromOutside((signal) => timeout(1_000, () => sleep(1_000), { signal })), 'error');
  });
});

describe('map', () => {
  test('success, failure, cancel, break, source failure', async () => {
    const items = [1, 2, 3, 4, 5];
    await noLeak((signal) => map(items, (n, _i, s) => sleep(1, n, { signal: s }), { signal, concurrency: 2 }));
    await noLeak((signal) => map(items, (n, _i, s) => (n === 2 ? fail() : sleep(20, n, { signal: s })), { signal }), 'error');
    await noLeak(async (signal) => {
      const run = map(items, (_n, _i, s) => sleep(1_000, undefined, { signal: s }), { signal });
      const outcome = Promise.resolve(run);
      await sleep(2);
      run.cancel();
      return outcome;
    }, 'error');
    await noLeak(async (signal) => {
      for await (const _ of map(items, (n, _i, s) => sleep(n === 1 ? 1 : 1_000, n, { signal: s }), { signal })) break;
    });
    function* broken(): Generator<number> {
      yield 1;
      throw new Error('source');
    }
    await noLeak((signal) => map(broken(), (n) => n, { signal }), 'error');
    await noLeak(cancelledFromOutside((signal) => map(items, (_n, _i, s) => sleep(1_000, undefined, { signal: s }), { signal })), 'error');
  });
});
