import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, TimeoutError, asCompleted, createTask, sleep } from '../../src/core/index.js';
import { abortListeners, activeTimers, delay, loggedJob } from './_helpers.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

async function collectUntilThrow<T>(iterable: AsyncIterable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterable) values.push(value);
  } catch (error) {
    return { values, error };
  }
  throw new Error('expected the loop to throw');
}

test('yields results in completion order', async () => {
  const inputs = [
    () => sleep(30, 'slow'),
    delay(1, 'fast'),
    createTask(() => sleep(15, 'medium')),
    'value',
  ];
  assert.deepEqual(await collect(asCompleted(inputs)), ['value', 'fast', 'medium', 'slow']);
});

test('an empty input ends at once', async () => {
  assert.deepEqual(await collect(asCompleted([])), []);
});

test('a failure is thrown from the loop after the jobs it started were cancelled and settled', async () => {
  const log: string[] = [];
  const outcome = await collectUntilThrow(
    asCompleted([
      () => sleep(1, 'first'),
      async () => {
        await delay(10);
        throw new Error('broken');
      },
      loggedJob(log, 'slow', 1_000, 'slow', 20),
    ]),
  );
  log.push('loop threw');
  assert.deepEqual(outcome.values, ['first']);
  assert.equal((outcome.error as Error).message, 'broken');
  assert.deepEqual(log, ['slow:start', 'slow:aborted', 'slow:finally', 'loop threw']);
});

test('returnExceptions yields failures as Errors (non-Errors wrapped) and keeps going', async () => {
  const values = await collect(
    asCompleted(
      [
        () => sleep(20, 'late'),
        () => Promise.reject(new Error('fails')),
        Promise.reject('thrown string'),
      ],
      { returnExceptions: true },
    ),
  );
  assert.equal(values.length, 3);
  assert.equal(values[2], 'late');
  const errors = values.slice(0, 2) as Error[];
  assert.ok(errors.every((e) => e instanceof Error));
  assert.ok(errors.some((e) => e.message === 'fails'));
  assert.ok(errors.some((e) => e.cause === 'thrown string'));
});

test('timeout: TimeoutError once the jobs it started were cancelled and settled; passed-in work is left running', async () => {
  const log: string[] = [];
  const passedIn = createTask(() => sleep(80, 'mine'));
  const started = Date.now();
  const outcome = await collectUntilThrow(
    asCompleted([() => sleep(5, 'quick'), loggedJob(log, 'owned', 1_000, 'owned', 20), passedIn], { timeout: 30 }),
  );
  log.push('loop threw');
  const elapsed = Date.now() - started;
  assert.ok(outcome.error instanceof TimeoutError);
  assert.equal(outcome.error.ms, 30);
  assert.deepEqual(outcome.values, ['quick']);
  assert.deepEqual(log, ['owned:start', 'owned:aborted', 'owned:finally', 'loop threw']);
  assert.ok(elapsed >= 45 && elapsed < 400, `threw after ${elapsed} ms`);
  assert.equal(passedIn.done(), false, 'a Task passed in is not cancelled');
  assert.equal(await passedIn, 'mine');
});

test('timeout: a slow consumer still gets every result that arrived in time, and no timer is left', async () => {
  const before = activeTimers();
  const values: string[] = [];
  for await (const value of asCompleted([sleep(2, 'a'), sleep(5, 'b'), () => sleep(8, 'c')], { timeout: 40 })) {
    values.push(value);
    await delay(30); // 90 ms of consuming, well past the deadline, but everything was done at ~8 ms
  }
  assert.deepEqual(values, ['a', 'b', 'c']);
  assert.equal(activeTimers(), before);
});

test('break cancels the jobs it started and waits for them; promises and Tasks passed in keep running', async () => {
  const log: string[] = [];
  const passedIn = createTask(() => sleep(30, 'mine'));
  for await (const value of asCompleted([() => sleep(1, 'first'), loggedJob(log, 'owned', 1_000, 'x', 15), passedIn])) {
    assert.equal(value, 'first');
    break;
  }
  log.push('after loop');
  assert.deepEqual(log, ['owned:start', 'owned:aborted', 'owned:finally', 'after loop']);
  assert.equal(passedIn.cancelled(), false);
  assert.equal(await passedIn, 'mine');
});

test('the signal option ends the loop with CancelledError and cancels the jobs it started', async () => {
  const controller = new AbortController();
  const log: string[] = [];
  const iteration = collectUntilThrow(asCompleted([loggedJob(log, 'owned', 1_000, 1)], { signal: controller.signal }));
  await delay(5);
  controller.abort('enough');
  const outcome = await iteration;
  assert.ok(outcome.error instanceof CancelledError);
  assert.equal(outcome.error.reason, 'enough');
  assert.deepEqual(log, ['owned:start', 'owned:aborted', 'owned:finally']);
  assert.equal(abortListeners(controller.signal), 0);
});

test('an already aborted signal throws CancelledError on the first next()', async () => {
  const outcome = await collectUntilThrow(asCompleted([Promise.resolve(1)], { signal: AbortSignal.abort() }));
  assert.ok(outcome.error instanceof CancelledError);
  assert.deepEqual(outcome.values, []);
});

test('after the error the iterator is done', async () => {
  const iterator = asCompleted([Promise.reject(new Error('x'))]);
  await assert.rejects(iterator.next(), /x/);
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
});

test('undefined in the inputs is a TypeError naming its position', () => {
  assert.throws(() => asCompleted([Promise.resolve(1), undefined]), {
    name: 'TypeError',
    message: /inputs\[1\] is undefined.*forget to `return`/,
  });
});

test('asCompleted: results that completed before the timeout are yielded first, then TimeoutError', async () => {
    const seen: unknown[] = [];
    const iterator = asCompleted([Promise.resolve('a'), Promise.resolve('b'), () => sleep(5_000, 'never')], { timeout: 30 });
    await delay(60); // the consumer arrives after the deadline
    await assert.rejects(async () => {
      for await (const value of iterator) seen.push(value);
    }, TimeoutError);
    assert.deepEqual(seen, ['a', 'b']);
});

test('test_as_completed_duplicate_coroutines (CPython): the same job, promise or Task passed twice runs once and is yielded once; plain values each time', async () => {
  let runs = 0;
  const job = async (): Promise<string> => {
    runs++;
    await delay(5);
    return 'job';
  };
  const promise = sleep(1, 'promise');
  const task = createTask(() => sleep(2, 'task'));
  const values = await collect(asCompleted([job, job, promise, task, promise, task, 'v', 'v']));
  assert.equal(runs, 1);
  assert.deepEqual(values.sort(), ['job', 'promise', 'task', 'v', 'v']);
});
