// Property tests of map's scheduler over random latency patterns (issue 8): exactly
// min(concurrency, items not started) calls in flight whenever the results waiting for the consumer
// have room; keyed admission limits hold at every instant without head-of-line blocking; unordered
// yields every item once with its index; in order yields in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { map, type Admission, type Indexed, type MapRun } from '../../src/core/index.js';
import { delay } from './_helpers.js';

/** Samples `check` once per event-loop turn (microtasks drained, the scheduler at rest) until `done` settles. */
async function sampling<T>(done: Promise<T>, check: () => void): Promise<T> {
  let finished = false;
  let failure: unknown;
  const tick = (): void => {
    if (finished) return;
    try {
      check();
    } catch (error) {
      failure ??= error;
    }
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await done;
  } finally {
    finished = true;
    if (failure !== undefined) throw failure;
  }
}

const latencyArbitrary = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.constant(25)), { minLength: 1, maxLength: 30 });

test('map keeps exactly min(concurrency, unfinished items) in flight whenever the buffer has room and the consumer keeps up; order and indexes hold', async () => {
  await fc.assert(
    fc.asyncProperty(
      latencyArbitrary,
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 8 }),
      fc.boolean(),
      fc.constantFrom('array', 'generator'),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
      async (latencies, concurrency, window, ordered, sourceKind, consumerPauses) => {
        const n = latencies.length;
        let started = 0;
        let finished = 0;
        let consumed = 0;
        const done: boolean[] = [];
        const indexes = latencies.map((_, i) => i);
        function* generate(): Generator<number> {
          yield* indexes;
        }
        const source = sourceKind === 'array' ? indexes : generate();
        const fn = async (i: number): Promise<number> => {
          started++;
          await delay(latencies[i]);
          finished++;
          done[i] = true;
          return i * 10;
        };
        const seen: number[] = [];
        const consume = async (): Promise<void> => {
          const run = ordered ? map(source, fn, { concurrency, window }) : map(source, fn, { concurrency, window, ordered: false });
          for await (const item of run) {
            const index = ordered ? consumed : (item as { index: number }).index;
            const value = ordered ? item : (item as { value: number }).value;
            assert.equal(value, index * 10, 'each result goes with its own index');
            seen.push(index);
            consumed++;
            const pause = consumerPauses[consumed % consumerPauses.length];
            if (pause > 0) await delay(pause);
          }
        };
        // Room: the finished results the consumer has not taken fit the window, and fewer than
        // `concurrency` of them are ready for it (in order: none missing before them), i.e. the
        // consumer keeps up. Unordered, every finished result is ready.
        const lag = Math.min(window, concurrency);
        await sampling(consume(), () => {
          const held = finished - consumed;
          let ready = held;
          if (ordered) for (ready = 0; done[consumed + ready]; ready++);
          if (held < window && ready < lag) {
            // In flight plus not started is everything not finished: all of it runs, up to `concurrency`.
            assert.equal(started - finished, Math.min(concurrency, n - finished), `held ${held}, ready ${ready}, yet ${started - finished} in flight, ${n - started} not started`);
          }
        });
        assert.equal(consumed, n);
        if (ordered) assert.deepEqual(seen, indexes, 'in input order');
        else assert.deepEqual([...seen].sort((a, b) => a - b), indexes, 'every index exactly once');
      },
    ),
    { numRuns: 60 },
  );
});

/** A per-key limit as an Admission, counting what runs. */
function perKeyAdmission(keys: number[], limit: number): Admission<number, number> & { running: Map<number, number> } {
  const running = new Map<number, number>();
  return {
    running,
    keyOf: (item) => keys[item],
    tryStart(key) {
      const now = running.get(key) ?? 0;
      if (now >= limit) return Number.POSITIVE_INFINITY;
      running.set(key, now + 1);
      return true;
    },
    finished(key) {
      running.set(key, (running.get(key) ?? 0) - 1);
    },
  };
}

test('keyed admission: global and per-key limits hold at every instant, and no slot idles while an admissible item waits', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(20))), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      fc.boolean(),
      async (spec, concurrency, perKey, grouped, ordered) => {
        // Grouped input (all of key 0, then key 1...) is where head-of-line blocking shows.
        const items = grouped ? [...spec].sort((a, b) => a[0] - b[0]) : spec;
        const keys = items.map(([key]) => key);
        const admission = perKeyAdmission(keys, perKey);
        const perKeyRunning = new Map<number, number>();
        const state = items.map(() => 'waiting' as 'waiting' | 'running' | 'done');
        let inFlight = 0;
        const fn = async (i: number): Promise<number> => {
          inFlight++;
          state[i] = 'running';
          const running = (perKeyRunning.get(keys[i]) ?? 0) + 1;
          perKeyRunning.set(keys[i], running);
          assert.ok(inFlight <= concurrency, `${inFlight} in flight, concurrency ${concurrency}`);
          assert.ok(running <= perKey, `${running} of key ${keys[i]} in flight, limit ${perKey}`);
          await delay(items[i][1]);
          perKeyRunning.set(keys[i], (perKeyRunning.get(keys[i]) as number) - 1);
          inFlight--;
          state[i] = 'done';
          return i;
        };
        const indexes = items.map((_, i) => i);
        const run = ordered
          ? map(indexes, fn, { concurrency, admission }).then((r) => r)
          : map(indexes, fn, { concurrency, admission, ordered: false }).then((r) => r.map((x) => x.value));
        const results = await sampling(run, () => {
          if (inFlight >= concurrency) return;
          // With a free slot, no waiting item may have a key with room (the window, 65,536, sees them all).
          state.forEach((s, i) => {
            if (s === 'waiting') {
              assert.ok((perKeyRunning.get(keys[i]) ?? 0) >= perKey, `item ${i} (key ${keys[i]}) waits with a free slot and room on its key`);
            }
          });
        });
        assert.deepEqual([...results].sort((a, b) => a - b), indexes);
        assert.ok([...admission.running.values()].every((count) => count === 0), 'every permit came back');
      },
    ),
    { numRuns: 60 },
  );
});

test('keyed admission with a numeric refusal: the item starts once the retry time has passed', async () => {
  let allowedAt = 0;
  const startedAt: number[] = [];
  const admission: Admission<number, string> = {
    keyOf: () => 'rate',
    tryStart(_key, now) {
      if (now < allowedAt) return allowedAt - now;
      allowedAt = now + 20; // one start every 20 ms
      return true;
    },
    finished() {},
  };
  const t0 = performance.now();
  await map([0, 1, 2, 3], (i) => void (startedAt[i] = performance.now() - t0), { concurrency: 4, admission });
  for (let i = 1; i < 4; i++) assert.ok(startedAt[i] - startedAt[i - 1] >= 18, `starts ${startedAt.map((t) => t.toFixed(0)).join(', ')} ms`);
});

test('keyed admission shares slots fairly: input grouped by key runs as many keys at once as there are slots', async () => {
  // 10 keys x 5 items, grouped; 2 per key and 10 slots: in input order the first 5 keys would take
  // every slot (2 each); fair share gives each of the 10 keys one slot first.
  const keys = Array.from({ length: 50 }, (_, i) => Math.floor(i / 5));
  const admission = perKeyAdmission(keys, 2);
  let release!: () => void;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const run = map(keys.map((_, i) => i), () => hold, { concurrency: 10, admission }).then((r) => r);
  await delay(5);
  assert.deepEqual([...admission.running.entries()].filter(([, n]) => n > 0).length, 10, `running per key: ${JSON.stringify([...admission.running])}`);
  release();
  await run;
});

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

test('types: ordered: false gives Indexed results; a sync iterable of promises maps their values', async () => {
  const unordered = map([1, 2], async (n) => String(n), { ordered: false });
  const unorderedType: Equal<typeof unordered, MapRun<Indexed<string>>> = true;
  const withErrors = map([1], (n) => n, { ordered: false, returnExceptions: true });
  const withErrorsType: Equal<typeof withErrors, MapRun<Indexed<number | Error>>> = true;
  const fromPromises = map([Promise.resolve(1), 2], (n) => n + 1);
  const fromPromisesType: Equal<typeof fromPromises, MapRun<number>> = true;
  assert.ok(unorderedType && withErrorsType && fromPromisesType);
  assert.deepEqual((await unordered).map((r) => r.value).sort(), ['1', '2']);
  assert.deepEqual(await fromPromises, [2, 3]);
});

test('a consumer slower than the work holds the run back once `concurrency` results are ready for it, whatever the window', async () => {
  let started = 0;
  const concurrency = 4;
  let consumed = 0;
  for await (const _ of map(Array.from({ length: 1_000 }, (_, i) => i), async (n) => {
    started++;
    return n;
  }, { concurrency })) {
    consumed++;
    if (consumed === 20) break;
    await delay(1);
  }
  assert.ok(started <= 20 + 2 * concurrency + 1, `${started} started for 20 consumed`);
});
