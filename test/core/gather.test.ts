import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Task, createTask, currentSignal, gather, sleep } from '../../src/core/index.js';
import { ConcurrencyTracker, abortListeners, deferred, delay, loggedJob, macrotasks, rejection } from './_helpers.js';
import { runHuge } from './_huge.js';

describe('gather: results', () => {
  test('gather() with no arguments resolves to []', async () => {
    assert.deepEqual(await gather(), []);
    assert.deepEqual(await gather([]), []);
    assert.deepEqual(await gather([], { limit: 2, returnExceptions: true, cancelOnError: true }), []);
  });

  test('results come in input order whatever the completion order', async () => {
    const results = await gather(
      async () => {
        await delay(30);
        return 'slow';
      },
      delay(1).then(() => 'fast promise'),
      async () => {
        await delay(15);
        return 'medium';
      },
      'plain value',
    );
    assert.deepEqual(results, ['slow', 'fast promise', 'medium', 'plain value']);
  });

  test('every kind of input: job, sync job, promise, thenable, Task, value, null', async () => {
    const thenable = { then: (resolve: (value: string) => void) => resolve('thenable') };
    const task = createTask(async () => 'task');
    const results = await gather([async () => 'job', () => 'sync job', Promise.resolve('promise'), thenable, task, 42, null]);
    assert.deepEqual(results, ['job', 'sync job', 'promise', 'thenable', 'task', 42, null]);
  });

  test('an array and the same inputs spread give the same results; any iterable works', async () => {
    const inputs = [Promise.resolve(1), () => 2, 3];
    assert.deepEqual(await gather(inputs), [1, 2, 3]);
    assert.deepEqual(await gather(...inputs), [1, 2, 3]);
    assert.deepEqual(await gather(new Set([Promise.resolve('a'), 'b'])), ['a', 'b']);
    function* generate(): Generator<() => Promise<number>> {
      for (let i = 0; i < 3; i++) yield async () => i * 10;
    }
    assert.deepEqual(await gather(generate(), { limit: 1 }), [0, 10, 20]);
  });

  test('the total time is the longest job, not the sum', async () => {
    const started = Date.now();
    await gather(() => sleep(120), () => sleep(120), () => sleep(120));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 115, `took ${elapsed} ms`);
    assert.ok(elapsed < 300, `took ${elapsed} ms: jobs did not run concurrently (the sum is 360 ms)`);
  });

  test('an async iterable is refused with a pointer to map()', () => {
    async function* source(): AsyncGenerator<number> {
      yield 1;
    }
    assert.throws(() => gather(source() as never), { name: 'TypeError', message: /use map\(\)/ });
  });

  test('undefined in the inputs is a TypeError naming its position and the forgotten return', () => {
    assert.throws(() => gather(Promise.resolve(1), undefined), {
      name: 'TypeError',
      message: /argument 1 is undefined: did a \.map\(\) callback forget to `return`\?/,
    });
    const forgot = [1, 2, 3].map((n) => {
      if (n !== 3) return Promise.resolve(n);
      return undefined;
    });
    assert.throws(() => gather(forgot), { name: 'TypeError', message: /inputs\[2\] is undefined.*forget to `return`/ });
  });
});

describe('gather: failures', () => {
  test('first failure rejects at once while siblings keep running', async () => {
    const log: string[] = [];
    let siblingSignal: AbortSignal | undefined;
    const started = Date.now();
    const run = gather(
      async () => {
        await delay(10);
        throw new Error('boom');
      },
      async (signal: AbortSignal) => {
        siblingSignal = signal;
        await delay(200);
        log.push('sibling finished');
        return 'late';
      },
    );
    const error = await rejection(run);
    const elapsed = Date.now() - started;
    assert.equal((error as Error).message, 'boom');
    assert.ok(elapsed < 150, `rejected after ${elapsed} ms: it waited for the sibling`);
    assert.deepEqual(log, []);
    assert.equal(siblingSignal?.aborted, false);
    await delay(250);
    assert.deepEqual(log, ['sibling finished']);
    assert.equal(siblingSignal?.aborted, false, 'the default mode must not cancel siblings');
  });

  test('a job that throws synchronously rejects the gather with its error', async () => {
    const error = await rejection(gather(() => {
      throw new RangeError('sync');
    }, Promise.resolve(1)));
    assert.ok(error instanceof RangeError);
  });

  test('a rejected promise input rejects the gather with its reason as is', async () => {
    const reason = { not: 'an error' };
    assert.equal(await rejection(gather([Promise.reject(reason), delay(5)])), reason);
  });

  test('cancelOnError: the first failure aborts siblings and rejects only after they settled', async () => {
    const log: string[] = [];
    const signals: AbortSignal[] = [];
    const run = gather(
      [
        async () => {
          await delay(10);
          log.push('fail');
          throw new Error('first');
        },
        async (signal: AbortSignal) => {
          signals.push(signal);
          try {
            await delay(1_000, undefined, { signal });
          } finally {
            await delay(20); // slow cleanup
            log.push('sibling cleaned up');
          }
        },
      ],
      { cancelOnError: true },
    );
    const error = await rejection(run);
    log.push('gather rejected');
    assert.equal((error as Error).message, 'first', 'rejects with the failure, not a CancelledError');
    assert.deepEqual(log, ['fail', 'sibling cleaned up', 'gather rejected']);
    assert.equal(signals[0].aborted, true);
    assert.ok(signals[0].reason instanceof CancelledError);
  });

  test('cancelOnError: queued jobs never start once a job failed', async () => {
    const started: number[] = [];
    const jobs = [0, 1, 2, 3, 4].map((i) => async () => {
      started.push(i);
      await delay(5);
      if (i === 1) throw new Error('second fails');
      return i;
    });
    await rejection(gather(jobs, { limit: 1, cancelOnError: true }));
    await delay(30);
    assert.deepEqual(started, [0, 1]);
  });

  test('cancelOnError: Tasks passed in are cancelled too', async () => {
    const task = createTask(() => sleep(1_000));
    await rejection(gather([task, Promise.reject(new Error('x'))], { cancelOnError: true }));
    assert.equal(task.cancelled(), true);
  });

  test('returnExceptions puts failures in their slots and keeps the others', async () => {
    const error = new Error('slot 1');
    const results = await gather(
      [
        async () => 'a',
        async () => {
          throw error;
        },
        Promise.reject(new TypeError('slot 2')),
        async () => {
          await delay(10);
          return 'd';
        },
      ],
      { returnExceptions: true },
    );
    assert.equal(results[0], 'a');
    assert.equal(results[1], error);
    assert.ok(results[2] instanceof TypeError);
    assert.equal(results[3], 'd');
  });

  test('returnExceptions wraps a thrown non-Error with the thrown value as cause', async () => {
    const thrown = { code: 42 };
    const results = await gather(
      [
        () => {
          throw 'a string';
        },
        async () => {
          throw thrown;
        },
        Promise.reject(7),
      ],
      { returnExceptions: true },
    );
    for (const slot of results) assert.ok(slot instanceof Error);
    assert.equal((results[0] as Error).cause, 'a string');
    assert.match((results[0] as Error).message, /"a string"/);
    assert.equal((results[1] as Error).cause, thrown);
    assert.equal((results[2] as Error).cause, 7);
  });
});

describe('gather: cancellation', () => {
  test('cancelling the gather cancels every job it started and rejects with CancelledError', async () => {
    const signals: AbortSignal[] = [];
    const job = async (signal: AbortSignal): Promise<void> => {
      signals.push(signal);
      await delay(1_000, undefined, { signal });
    };
    const run = gather(job, async (signal: AbortSignal) => job(signal));
    await delay(5);
    assert.equal(run.cancel('enough'), true);
    const error = await rejection(run);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'enough');
    assert.equal(run.cancelled(), true);
    assert.equal(signals.length, 2);
    for (const signal of signals) assert.equal(signal.aborted, true);
  });

  test('the cancelled gather rejects only after its children settled', async () => {
    const log: string[] = [];
    const run = gather(loggedJob(log, 'a', 1_000, 'a', 20), loggedJob(log, 'b', 1_000, 'b', 5));
    await delay(5);
    run.cancel();
    await rejection(run);
    log.push('rejected');
    assert.deepEqual(log.slice(-1), ['rejected']);
    assert.ok(log.includes('a:finally') && log.includes('b:finally'));
  });

  test('a cancelled gather rejects with CancelledError even with returnExceptions', async () => {
    const run = gather([() => sleep(1_000), Promise.resolve(1)], { returnExceptions: true });
    await delay(5);
    run.cancel();
    assert.ok((await rejection(run)) instanceof CancelledError);
  });

  test('cancelling the gather cancels Tasks passed in', async () => {
    const task = createTask(() => sleep(1_000, 'never'));
    const run = gather(task, Promise.resolve(1));
    await delay(5);
    run.cancel();
    assert.ok((await rejection(run)) instanceof CancelledError);
    assert.equal(task.cancelled(), true);
  });

  test('cancelling the outer gather cancels nested gathers, started in jobs or passed in', async () => {
    const log: string[] = [];
    const inner = gather(loggedJob(log, 'passed-in', 1_000, 1));
    const outer = gather(
      inner,
      // a job that starts a nested gather without passing any signal: the ambient scope carries it
      () => gather(loggedJob(log, 'nested', 1_000, 2), () => sleep(1_000)),
    );
    await delay(5);
    outer.cancel();
    assert.ok((await rejection(outer)) instanceof CancelledError);
    assert.equal(inner.cancelled(), true);
    assert.ok(log.includes('passed-in:aborted'));
    assert.ok(log.includes('nested:aborted'));
  });

  test('a job that calls sleep() without a signal is cancelled with the gather (ambient scope)', async () => {
    let sawSignal: AbortSignal | undefined;
    let sleepError: unknown;
    const run = gather(async () => {
      sawSignal = currentSignal();
      try {
        await sleep(1_000);
      } catch (error) {
        sleepError = error;
        throw error;
      }
    });
    await delay(5);
    const started = Date.now();
    run.cancel();
    await rejection(run);
    assert.ok(Date.now() - started < 250);
    assert.ok(sleepError instanceof CancelledError);
    assert.equal(sawSignal?.aborted, true);
  });

  test('the signal option cancels the gather and its children', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const run = gather([loggedJob(log, 'job', 1_000, 1)], { signal: controller.signal });
    await delay(5);
    controller.abort('stop');
    const error = await rejection(run);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'stop');
    assert.deepEqual(log, ['job:start', 'job:aborted', 'job:finally']);
  });

  test('an already aborted signal rejects at once: no job starts, Tasks passed in are cancelled', async () => {
    let ran = false;
    const task = createTask(() => sleep(1_000));
    const run = gather(
      [
        () => {
          ran = true;
        },
        task,
      ],
      { signal: AbortSignal.abort('early') },
    );
    const error = await rejection(run);
    assert.ok(error instanceof CancelledError);
    assert.equal(ran, false);
    assert.equal(task.cancelled(), true);
  });

  test('promises only: cancelling rejects at once (nothing owned to wait for)', async () => {
    const slow = delay(1_000, 'late', { ref: false });
    const run = gather(slow, Promise.resolve(2));
    run.cancel();
    assert.ok((await rejection(run)) instanceof CancelledError);
  });

  test('a cancelled child is a CancelledError in its slot with returnExceptions', async () => {
    const task = createTask(() => sleep(1_000));
    task.cancel('not needed');
    const results = await gather([task, Promise.resolve('ok')], { returnExceptions: true });
    assert.ok(results[0] instanceof CancelledError);
    assert.equal((results[0] as CancelledError).reason, 'not needed');
    assert.equal(results[1], 'ok');
  });

  test('a cancelled child rejects the gather with CancelledError without returnExceptions', async () => {
    const task = createTask(() => sleep(1_000));
    const run = gather(task, () => sleep(5, 'ok'));
    task.cancel();
    assert.ok((await rejection(run)) instanceof CancelledError);
  });

  test('cancel() returns false once the gather settled', async () => {
    const run = gather(() => 1);
    await run;
    assert.equal(run.cancel(), false);
    assert.equal(run.done(), true);
    assert.deepEqual(run.result(), [1]);
  });

  test('the returned Task takes a name', async () => {
    const run = gather([() => 1], { name: 'batch' });
    assert.ok(run instanceof Task);
    assert.equal(run.name, 'batch');
    await run;
  });
});

describe('gather: sharing and limits', () => {
  test('the same job passed twice runs once and both slots get the result', async () => {
    let calls = 0;
    const job = async (): Promise<number> => {
      calls++;
      await delay(5);
      return 7;
    };
    assert.deepEqual(await gather(job, job, () => 1, job), [7, 7, 1, 7]);
    assert.equal(calls, 1);
  });

  test('the same failing job passed twice: both slots hold its error with returnExceptions', async () => {
    let calls = 0;
    const error = new Error('once');
    const job = async (): Promise<never> => {
      calls++;
      throw error;
    };
    const results = await gather([job, job], { returnExceptions: true, limit: 1 });
    assert.deepEqual(results, [error, error]);
    assert.equal(calls, 1);
  });

  test('the same promise or Task passed twice: both slots get its result', async () => {
    const promise = delay(5, 'p');
    const task = createTask(async () => 't');
    assert.deepEqual(await gather(promise, task, promise, task), ['p', 't', 'p', 't']);
  });

  test('limit bounds the running jobs and starts them in FIFO order', async () => {
    const tracker = new ConcurrencyTracker();
    const order: number[] = [];
    const delays = [12, 3, 8, 1, 10, 2, 6, 4, 9, 5, 7, 11];
    const jobs = delays.map((ms, i) => () =>
      tracker.run(async () => {
        order.push(i);
        await delay(ms);
        return i;
      }),
    );
    const results = await gather(jobs, { limit: 3 });
    assert.deepEqual(results, delays.map((_, i) => i));
    assert.equal(tracker.max, 3);
    assert.deepEqual(order, delays.map((_, i) => i));
  });

  test('limit: 1 runs the jobs one after the other', async () => {
    const log: string[] = [];
    await gather([loggedJob(log, 'a', 5, 1), loggedJob(log, 'b', 1, 2)], { limit: 1 });
    assert.deepEqual(log, ['a:start', 'a:done', 'a:finally', 'b:start', 'b:done', 'b:finally']);
  });

  test('limit does not count promises and Tasks, which already run', async () => {
    const gate = deferred<string>();
    const tracker = new ConcurrencyTracker();
    const job = (): Promise<number> => tracker.run(() => delay(5, 1));
    const run = gather([gate.promise, createTask(() => gate.promise), job, job.bind(null), job.bind(null)], { limit: 2 });
    await delay(30);
    assert.equal(tracker.started, 3, 'the jobs ran although two awaitables were pending');
    gate.resolve('g');
    assert.deepEqual(await run, ['g', 'g', 1, 1, 1]);
    assert.equal(tracker.max, 2);
  });

  test('2,200,000 promises settle (above the 2,097,151 elements a native Promise.all handles)', async () => {
    // In a fresh process: the test harness's async hook would triple the time (see _huge-child.ts).
    const [plain, withErrors] = await Promise.all([runHuge('gather', 2_200_000), runHuge('gather-errors', 2_200_000)]);
    assert.deepEqual({ length: plain.length, inOrder: plain.inOrder }, { length: 2_200_000, inOrder: true });
    assert.deepEqual({ length: withErrors.length, inOrder: withErrors.inOrder }, { length: 2_200_000, inOrder: true });
    // (10,000,000: test-soak/core/huge.test.ts)
  });

  test('a job runs in its own scope: currentSignal() is the signal it was given', async () => {
    let scoped: AbortSignal | undefined;
    const run = gather((signal: AbortSignal) => {
      scoped = currentSignal();
      assert.equal(scoped, signal);
      return 1;
    });
    assert.ok(run instanceof Task);
    await run;
    assert.ok(scoped);
    assert.equal(currentSignal(), undefined, 'the scope does not leak to the caller');
  });
});

describe('gather: what a failed gather left running', () => {
  test('after a default-mode failure, the caller signal still cancels the jobs gather started and stops the queue', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const cancelled: number[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) => async () => {
      started.push(i);
      if (i === 0) throw new Error('first fails');
      try {
        await sleep(1_000);
      } catch (error) {
        if (error instanceof CancelledError) cancelled.push(i);
        throw error;
      }
    });
    await assert.rejects(gather(jobs, { limit: 2, signal: controller.signal }), /first fails/);
    await delay(5);
    assert.deepEqual(started, [0, 1, 2], 'asyncio: the siblings keep running and the queue goes on');
    controller.abort();
    await delay(5);
    assert.deepEqual(cancelled.sort(), [1, 2]);
    await delay(5);
    assert.deepEqual(started, [0, 1, 2], 'no queued job starts after the abort');
    assert.equal(abortListeners(controller.signal), 0, 'the listener went away with the last job');
  });
});

describe('gather: many children on one signal', () => {
  test('50 jobs waiting on the shared cancellation signal raise no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await gather(Array.from({ length: 50 }, (_, i) => () => sleep(5, i)));
      await macrotasks();
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.map((w) => w.name), []);
  });
});
