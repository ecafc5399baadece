import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, MapRun, createTask, currentSignal, map, sleep } from '../../src/core/index.js';
import { ConcurrencyTracker, abortListeners, deferred, delay, rejection } from './_helpers.js';
import { runHuge } from './_huge.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function* asyncRange(n: number, onFinally?: () => void): AsyncGenerator<number> {
  try {
    for (let i = 0; i < n; i++) {
      await delay(0);
      yield i;
    }
  } finally {
    onFinally?.();
  }
}

/** An async iterator that is not a generator: map must pull it one next() at a time. */
function handRolledAsyncIterable(n: number): AsyncIterable<number> & { overlapping: number } {
  const state = { overlapping: 0 };
  let pulling = 0;
  let i = 0;
  return Object.assign(state, {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<number>> {
        pulling++;
        state.overlapping = Math.max(state.overlapping, pulling);
        await delay(1);
        pulling--;
        return i < n ? { done: false, value: i++ } : { done: true, value: undefined };
      },
    }),
  });
}

async function collectStream<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('map: results', () => {
  test('results come in input order whatever the completion order', async () => {
    const delays = [20, 1, 12, 3, 8, 0, 15, 5];
    const results = await map(delays, async (ms, i) => {
      await delay(ms);
      return `${i}:${ms}`;
    }, { concurrency: 3 });
    assert.deepEqual(results, delays.map((ms, i) => `${i}:${ms}`));
  });

  test('concurrency is never exceeded and is reached, collected or streamed, from any source', async () => {
    function* generate(): Generator<number> {
      yield* range(20);
    }
    async function* generateAsync(): AsyncGenerator<number> {
      for (const n of range(20)) yield await Promise.resolve(n);
    }
    for (const concurrency of [1, 2, 5]) {
      for (const [source, stream] of [
        [() => range(20), false],
        [() => range(20), true],
        [generate, false],
        [generate, true],
        [generateAsync, false],
        [generateAsync, true],
      ] as const) {
        const tracker = new ConcurrencyTracker();
        const run = map(source(), (n) => tracker.run(() => delay(n % 3)), { concurrency });
        assert.equal((stream ? await collectStream(run) : await run).length, 20);
        assert.equal(tracker.max, concurrency, `concurrency ${concurrency}, ${source.name || 'array'}, stream ${stream}`);
        assert.equal(tracker.started, 20);
      }
    }
  });

  test('the default concurrency is 16', async () => {
    const tracker = new ConcurrencyTracker();
    await map(range(40), () => tracker.run(() => delay(2)));
    assert.equal(tracker.max, 16);
  });

  test('fn gets the item, its index and the run signal; map installs no ambient scope', async () => {
    const seen: [string, number, boolean, boolean][] = [];
    await map(['a', 'b'], (item, index, signal) => {
      seen.push([item, index, signal instanceof AbortSignal, currentSignal() === undefined]);
    });
    assert.deepEqual(seen, [
      ['a', 0, true, true],
      ['b', 1, true, true],
    ]);
  });

  test('inside a task, fn still sees the task scope as the ambient signal', async () => {
    let ambient: AbortSignal | undefined;
    let taskSignal: AbortSignal | undefined;
    await createTask(async (signal) => {
      taskSignal = signal;
      await map([1], () => {
        ambient = currentSignal();
      });
    });
    assert.ok(taskSignal);
    assert.equal(ambient, taskSignal);
  });

  test('an empty input resolves to [] without calling fn', async () => {
    let calls = 0;
    const fn = (): void => void calls++;
    assert.deepEqual(await map([], fn), []);
    assert.deepEqual(await map(new Set<number>(), fn), []);
    assert.deepEqual(await map(asyncRange(0), fn), []);
    assert.deepEqual(await collectStream(map([], fn)), []);
    assert.equal(calls, 0);
  });

  test('sync iterable sources: generator, Set, Map entries', async () => {
    function* generate(): Generator<number> {
      yield* [3, 1, 2];
    }
    assert.deepEqual(await map(generate(), (n) => n * 2, { concurrency: 2 }), [6, 2, 4]);
    assert.deepEqual(await map(new Set(['x', 'y']), (s) => s.toUpperCase()), ['X', 'Y']);
    assert.deepEqual(await map(new Map([['k', 1]]), ([k, v]) => `${k}=${v}`), ['k=1']);
  });

  test('async iterable sources: async generator and a hand-rolled iterator pulled one at a time', async () => {
    assert.deepEqual(await map(asyncRange(10), async (n) => {
      await delay(10 - n);
      return n;
    }, { concurrency: 4 }), range(10));
    const source = handRolledAsyncIterable(12);
    assert.deepEqual(await map(source, (n) => n, { concurrency: 4 }), range(12));
    assert.equal(source.overlapping, 1, 'next() of a non-generator iterator never overlaps');
  });

  test('for await streams results in input order', async () => {
    const run = map(range(10), async (n) => {
      await delay((10 - n) * 2);
      return n * n;
    }, { concurrency: 4 });
    assert.ok(run instanceof MapRun);
    assert.deepEqual(await collectStream(run), range(10).map((n) => n * n));
    assert.deepEqual(await collectStream(map(asyncRange(5), (n) => n, { concurrency: 2 })), range(5));
  });

  test('the run is lazy: nothing starts before it is awaited or iterated', async () => {
    let calls = 0;
    const run = map([1, 2], () => void calls++);
    await delay(5);
    assert.equal(calls, 0);
    await run;
    assert.equal(calls, 2);
  });

  test('concurrency: Infinity starts every item at once, from an array, a generator or an async generator', async () => {
    function* generate(): Generator<number> {
      yield* range(50);
    }
    async function* generateAsync(): AsyncGenerator<number> {
      yield* range(50);
    }
    for (const source of [range(50), generate(), generateAsync()]) {
      const gate = deferred();
      const tracker = new ConcurrencyTracker();
      const run = map(source, (n) => tracker.run(() => gate.promise.then(() => n)), { concurrency: Number.POSITIVE_INFINITY });
      const collected = run.then((values) => values);
      await delay(20);
      assert.equal(tracker.running, 50);
      gate.resolve();
      assert.deepEqual(await collected, range(50));
    }
  });

  test('a large finite concurrency over a generator runs every item at once', async () => {
    function* generate(): Generator<number> {
      yield* range(3_000);
    }
    const gate = deferred();
    const tracker = new ConcurrencyTracker();
    const collected = map(generate(), (n) => tracker.run(() => gate.promise.then(() => n)), { concurrency: 5_000 }).then((v) => v);
    await delay(20);
    assert.equal(tracker.running, 3_000);
    gate.resolve();
    assert.equal((await collected).length, 3_000);
  });
});

describe('map: backpressure', () => {
  test('streaming 1,000,000 items from an async generator: the source stays within ~2x concurrency of the consumer', async () => {
    // In a fresh process: the test harness's async hook would make this 10x slower (see _huge-child.ts).
    const concurrency = 4;
    const report = await runHuge('map-stream', 1_000_000, concurrency);
    assert.equal(report.length, 1_000_000);
    assert.equal(report.inOrder, true);
    assert.ok((report.maxAhead as number) <= 2 * concurrency + 1, `the source ran ${report.maxAhead} items ahead`);
  });

  // Issue 8 changed what bounds the look-ahead: the reorder buffer's `window`, no longer 2x concurrency.
  // These two tests used to assert `2 * concurrency`; they now pass a small window and assert its bound.
  test('a slow consumer holds the source back once the window is full', async () => {
    let produced = 0;
    function* source(): Generator<number> {
      for (let i = 0; i < 1_000; i++) {
        produced++;
        yield i;
      }
    }
    let consumed = 0;
    const concurrency = 3;
    const window = 6;
    for await (const _ of map(source(), (n) => n, { concurrency, window })) {
      consumed++;
      if (consumed === 5) break;
      await delay(2);
    }
    assert.ok(produced <= 5 + window + 2 * concurrency, `produced ${produced} for 5 consumed`);
  });

  test('one slow early item lets the others run ahead only as far as the window', async () => {
    const tracker = new ConcurrencyTracker();
    const window = 4;
    const run = map(range(100), (n, _i, signal) => tracker.run(() => delay(n === 0 ? 300 : 1, undefined, { signal })), {
      concurrency: 4,
      window,
    });
    const iterator = run[Symbol.asyncIterator]();
    await delay(30);
    assert.ok(tracker.started <= window + 2 * 4, `${tracker.started} started while item 0 was pending`);
    await iterator.return?.();
  });

  test('one slow early item does not stall the others: with room in the window, every slot stays busy', async () => {
    const tracker = new ConcurrencyTracker();
    const gate = deferred();
    const finishedAt: number[] = [];
    const run = map(range(200), async (n) => {
      await tracker.run(() => (n === 0 ? gate.promise : delay(1)));
      finishedAt[n] = performance.now();
      return n;
    }, { concurrency: 4 });
    const collected = collectStream(run);
    await delay(200);
    assert.equal(tracker.started, 200, 'every item started while item 0 hung');
    assert.equal(finishedAt.filter((t) => t !== undefined).length, 199, 'the items after it finished long before it');
    gate.resolve();
    assert.deepEqual(await collected, range(200));
  });

  test('ordered: false yields each result as it finishes, with its input index', async () => {
    const gate = deferred();
    const seen: { index: number; value: string }[] = [];
    const run = map(['slow', 'a', 'b', 'c'], async (s) => {
      if (s === 'slow') await gate.promise;
      else await delay(1);
      return s.toUpperCase();
    }, { concurrency: 2, ordered: false });
    for await (const item of run) {
      seen.push(item);
      if (seen.length === 3) gate.resolve();
    }
    assert.deepEqual(seen, [
      { index: 1, value: 'A' },
      { index: 2, value: 'B' },
      { index: 3, value: 'C' },
      { index: 0, value: 'SLOW' },
    ]);
    const collected = await map([3, 1, 2], async (n) => {
      await delay(n * 10);
      return n;
    }, { ordered: false });
    assert.deepEqual(collected.map((r) => r.index), [1, 2, 0]);
  });

  test('a sync iterable of promises: each element is awaited before fn sees it (as p-map)', async () => {
    const seen: [unknown, number][] = [];
    const input = [delay(20, 'a'), Promise.resolve('b'), 'c'];
    const results = await map(input, (item, index) => {
      seen.push([item, index]);
      return `${item}!`;
    });
    assert.deepEqual(results, ['a!', 'b!', 'c!']);
    assert.deepEqual(seen.sort((x, y) => x[1] - y[1]), [['a', 0], ['b', 1], ['c', 2]]);
    function* generate(): Generator<Promise<number>> {
      yield Promise.resolve(1);
      yield delay(5, 2);
    }
    assert.deepEqual(await collectStream(map(generate(), (n) => n * 10)), [10, 20]);
    const failed = await map([Promise.reject(new Error('element failed'))], (n) => n, { returnExceptions: true });
    assert.equal((failed[0] as Error).message, 'element failed');
  });
});

describe('map: stopping', () => {
  test('an early break cancels in-flight calls and closes the source generator (its finally runs)', async () => {
    let finallyRan = false;
    const signals: AbortSignal[] = [];
    function* source(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finallyRan = true;
      }
    }
    for await (const value of map(source(), async (n, _i, signal) => {
      signals.push(signal);
      await sleep(n === 0 ? 1 : 1_000, undefined, { signal });
      return n;
    }, { concurrency: 3 })) {
      assert.equal(value, 0);
      break;
    }
    assert.equal(finallyRan, true);
    assert.equal(signals[0].aborted, true);
    assert.ok(signals[0].reason instanceof CancelledError);
  });

  test('an early break closes an async generator source', async () => {
    let finallyRan = false;
    const pending: string[] = [];
    for await (const value of map(asyncRange(1_000, () => (finallyRan = true)), async (n, _i, signal) => {
      pending.push(`start ${n}`);
      await sleep(n === 0 ? 1 : 1_000, undefined, { signal }).catch(() => pending.push(`aborted ${n}`));
      return n;
    }, { concurrency: 2 })) {
      assert.equal(value, 0);
      break;
    }
    assert.equal(finallyRan, true);
    assert.ok(pending.includes('aborted 1'));
  });

  test('an fn failure aborts the siblings signal and rejects only after they settled', async () => {
    const log: string[] = [];
    const run = map(range(6), async (n, _i, signal) => {
      if (n === 1) {
        await delay(5);
        throw new Error('item 1 failed');
      }
      try {
        await sleep(1_000, undefined, { signal });
      } finally {
        await delay(15);
        log.push(`cleaned ${n}`);
      }
    }, { concurrency: 3 });
    const error = await rejection(run);
    log.push('rejected');
    assert.equal((error as Error).message, 'item 1 failed');
    assert.equal(log.at(-1), 'rejected', 'the siblings cleaned up before the rejection');
    assert.deepEqual(log.slice(0, -1).sort(), ['cleaned 0', 'cleaned 2'], 'no item started after the failure');
  });

  test('an fn failure while streaming: earlier results are yielded, then the loop throws', async () => {
    const seen: number[] = [];
    let error: unknown;
    try {
      for await (const value of map(range(10), async (n) => {
        await delay(n);
        if (n === 4) throw new Error('four');
        return n;
      }, { concurrency: 2 })) {
        seen.push(value);
      }
    } catch (caught) {
      error = caught;
    }
    assert.equal((error as Error).message, 'four');
    assert.deepEqual(seen, [0, 1, 2, 3]);
  });

  test('returnExceptions puts failures in their slots, collected or streamed', async () => {
    const fn = async (n: number): Promise<number> => {
      if (n % 3 === 1) throw n === 1 ? new Error('one') : `string ${n}`;
      return n;
    };
    const collected = await map(range(6), fn, { returnExceptions: true, concurrency: 2 });
    const streamed = await collectStream(map(asyncRange(6), fn, { returnExceptions: true, concurrency: 2 }));
    for (const results of [collected, streamed]) {
      assert.deepEqual(results.filter((r) => !(r instanceof Error)), [0, 2, 3, 5]);
      assert.equal((results[1] as Error).message, 'one');
      assert.equal((results[4] as Error).cause, 'string 4');
    }
  });

  test('a source iterator that throws rejects the run with its error once in-flight calls settled', async () => {
    const log: string[] = [];
    function* source(): Generator<number> {
      yield 0;
      yield 1;
      throw new Error('source broke');
    }
    const error = await rejection(
      map(source(), async (n, _i, signal) => {
        try {
          await sleep(1_000, undefined, { signal });
        } finally {
          log.push(`settled ${n}`);
        }
      }, { concurrency: 4 }),
    );
    assert.equal((error as Error).message, 'source broke');
    assert.deepEqual(log.sort(), ['settled 0', 'settled 1']);
  });

  test('an async source that throws rejects the run with its error', async () => {
    async function* source(): AsyncGenerator<number> {
      yield 0;
      await delay(2);
      throw new TypeError('async source broke');
    }
    const error = await rejection(map(source(), (n) => n));
    assert.ok(error instanceof TypeError);
    let streamError: unknown;
    try {
      for await (const _ of map(source(), (n) => n));
    } catch (caught) {
      streamError = caught;
    }
    assert.ok(streamError instanceof TypeError);
  });

  test('a signal abort mid-run cancels in-flight calls, starts nothing new and rejects with CancelledError', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const aborted: number[] = [];
    const run = map(range(100), async (n, _i, signal) => {
      started.push(n);
      try {
        await sleep(n < 4 ? 5 : 1_000, undefined, { signal });
      } catch (error) {
        aborted.push(n);
        throw error;
      }
    }, { concurrency: 4, signal: controller.signal });
    const outcome = rejection(run);
    await delay(30);
    controller.abort('halt');
    const error = await outcome;
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'halt');
    assert.deepEqual(started, range(8));
    assert.deepEqual(aborted.sort((a, b) => a - b), [4, 5, 6, 7]);
    await delay(10);
    assert.equal(started.length, 8, 'nothing started after the run settled');
    assert.equal(abortListeners(controller.signal), 0);
  });

  test('an already aborted signal rejects without calling fn', async () => {
    let calls = 0;
    const error = await rejection(map([1, 2], () => void calls++, { signal: AbortSignal.abort() }));
    assert.ok(error instanceof CancelledError);
    assert.equal(calls, 0);
  });

  test('cancel() stops a run, idle or running; false once it ended', async () => {
    const idle = map([1], (n) => n);
    assert.equal(idle.cancel('not needed'), true);
    assert.ok((await rejection(idle)) instanceof CancelledError);
    const running = map(range(10), (_n, _i, signal) => sleep(1_000, undefined, { signal }), { concurrency: 2 });
    const outcome = rejection(running);
    await delay(2);
    assert.equal(running.cancel(), true);
    assert.ok((await outcome) instanceof CancelledError);
    assert.equal(running.cancel(), false);
  });
});

describe('map: consuming once', () => {
  test('awaiting twice gives the same results without running fn again', async () => {
    let calls = 0;
    const run = map([1, 2, 3], (n) => {
      calls++;
      return n;
    });
    const first = await run;
    const second = await run;
    assert.equal(first, second);
    assert.equal(calls, 3);
  });

  test('iterating after await, awaiting after iterating, or iterating twice is a clear TypeError', async () => {
    const awaited = map([1], (n) => n);
    await awaited;
    assert.throws(() => awaited[Symbol.asyncIterator](), { name: 'TypeError', message: /already being consumed/ });

    const iterated = map([1], (n) => n);
    await collectStream(iterated);
    const error = await rejection(iterated);
    assert.ok(error instanceof TypeError);
    assert.match(error.message, /await it or iterate it, once/);
    assert.throws(() => iterated[Symbol.asyncIterator](), TypeError);
  });
});
