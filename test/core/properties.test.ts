// Property tests of gather and map against a simple reference model. Delays are microtask and
// macrotask (setImmediate) counts, not milliseconds, so hundreds of runs take a few seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CancelledError, gather, map } from '../../src/core/index.js';

interface Spec {
  /** How many awaits the work takes; every third one is a macrotask when `macro`. */
  ticks: number;
  macro: boolean;
  fail: boolean;
  value: number;
  /** gather only: pass a job (gather starts it), a promise (already running) or the plain value. */
  kind: 'job' | 'promise' | 'value';
}

const specArbitrary: fc.Arbitrary<Spec> = fc.record({
  ticks: fc.integer({ min: 0, max: 12 }),
  macro: fc.boolean(),
  fail: fc.integer({ min: 0, max: 3 }).map((n) => n === 0), // failures in about a quarter of the items
  value: fc.integer(),
  kind: fc.constantFrom<Spec['kind']>('job', 'job', 'promise', 'value'),
});

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Observes one run: who started, who is running, the highest concurrency, the failures in order. */
class Observer {
  started = new Map<number, number>(); // index -> times started
  running = 0;
  maxRunning = 0;
  finished = 0;
  failures: Error[] = [];
  runningAtAbort = new Set<number>();
  sawAbort = new Set<number>();
  aborted = false;
  startedAfterSettle = 0;
  settled = false;

  /** The work of item `index`: cooperative (throws the signal's reason once it aborted). */
  async work(index: number, spec: Spec, signal: AbortSignal | undefined, counted: boolean): Promise<number> {
    if (counted) {
      this.started.set(index, (this.started.get(index) ?? 0) + 1);
      if (this.settled) this.startedAfterSettle++;
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
    }
    try {
      for (let i = 0; i < spec.ticks; i++) {
        if (spec.macro && i % 3 === 0) await nextMacrotask();
        else await Promise.resolve();
        if (signal?.aborted) {
          this.sawAbort.add(index);
          throw signal.reason;
        }
      }
      if (spec.fail) {
        const error = new Error(`item ${index} failed`);
        this.failures.push(error);
        throw error;
      }
      return spec.value;
    } finally {
      if (counted) {
        this.running--;
        this.finished++;
      }
    }
  }

  /** Waits until every started job finished (the default gather mode leaves siblings running). */
  async drain(): Promise<void> {
    // idle on two checks a macrotask apart: a queued job may start in the microtasks in between
    let idle = 0;
    for (let i = 0; i < 1_000 && idle < 2; i++) {
      await nextMacrotask();
      idle = this.running === 0 ? idle + 1 : 0;
    }
    assert.equal(this.running, 0, 'some work never finished');
  }
}

/** The model: each slot's value or error, in input order. */
function model(specs: Spec[]): { ok: boolean; value: number }[] {
  return specs.map((spec) => ({ ok: spec.kind === 'value' || !spec.fail, value: spec.value }));
}

function checkSlots(results: unknown[], specs: Spec[]): void {
  const expected = model(specs);
  assert.equal(results.length, specs.length);
  results.forEach((slot, i) => {
    if (expected[i].ok) assert.equal(slot, expected[i].value, `slot ${i}`);
    else assert.ok(slot instanceof Error && slot.message === `item ${i} failed`, `slot ${i} holds its failure`);
  });
}

test('gather matches the model: order, results, each job once, limit respected, a failure reported as is', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArbitrary, { maxLength: 25 }),
      fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Number.POSITIVE_INFINITY)),
      fc.boolean(),
      fc.boolean(),
      async (specs, limit, returnExceptions, cancelOnError) => {
        const observer = new Observer();
        const inputs = specs.map((spec, i) => {
          if (spec.kind === 'job') return (signal: AbortSignal) => observer.work(i, spec, signal, true);
          if (spec.kind === 'promise') return observer.work(i, spec, undefined, false);
          return spec.value;
        });
        const anyFailure = specs.some((spec) => spec.kind !== 'value' && spec.fail);
        let outcome: { ok: true; value: unknown[] } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, value: await gather(inputs, { limit, returnExceptions, cancelOnError }) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        observer.settled = true;
        if (cancelOnError) assert.equal(observer.running, 0, 'cancelOnError settles only after the jobs it started');
        await observer.drain();

        if (returnExceptions || !anyFailure) {
          assert.ok(outcome.ok, 'no failure to report');
          checkSlots(outcome.value, specs);
        } else {
          assert.ok(!outcome.ok, 'a failure rejects the gather');
          // (failures that were already there when gather looked are seen in input order, as Promise.all does)
          assert.ok(observer.failures.includes(outcome.error as Error), 'rejects with one of the failures, as it is');
        }
        assert.ok(observer.maxRunning <= limit, `ran ${observer.maxRunning} jobs at once with limit ${limit}`);
        specs.forEach((spec, i) => {
          if (spec.kind !== 'job') return;
          const times = observer.started.get(i) ?? 0;
          if (cancelOnError && anyFailure && !returnExceptions) assert.ok(times <= 1, `job ${i} ran ${times} times`);
          else assert.equal(times, 1, `job ${i} ran ${times} times`);
        });
        if (cancelOnError) assert.equal(observer.startedAfterSettle, 0, 'nothing started after the gather settled');
      },
    ),
    { numRuns: 200 },
  );
});

test('gather aborted at a random point: every running job saw the abort and nothing runs after it settled', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArbitrary.map((spec) => ({ ...spec, kind: 'job' as const, fail: false })), { minLength: 1, maxLength: 20 }),
      fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(Number.POSITIVE_INFINITY)),
      fc.boolean(),
      fc.integer({ min: 0, max: 6 }),
      async (specs, limit, returnExceptions, abortAfter) => {
        const observer = new Observer();
        const controller = new AbortController();
        const run = gather(
          specs.map((spec, i) => (signal: AbortSignal) => observer.work(i, spec, signal, true)),
          { limit, returnExceptions, signal: controller.signal },
        );
        for (let i = 0; i < abortAfter; i++) await nextMacrotask();
        const runningAtAbort = observer.running;
        observer.aborted = true;
        controller.abort();
        let outcome: { ok: true; value: unknown[] } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, value: await run };
        } catch (error) {
          outcome = { ok: false, error };
        }
        observer.settled = true;
        if (outcome.ok) {
          // it finished before the abort: a Task that settled cannot be cancelled any more
          assert.equal(runningAtAbort, 0);
          checkSlots(outcome.value, specs);
        } else {
          assert.ok(!outcome.ok && outcome.error instanceof CancelledError, 'a cancelled gather rejects with CancelledError');
          assert.equal(observer.running, 0, 'every job it started settled before it rejected');
          assert.equal(observer.sawAbort.size, runningAtAbort, 'every job running at the abort saw it');
        }
        for (let i = 0; i < 3; i++) await nextMacrotask();
        assert.equal(observer.startedAfterSettle, 0, 'nothing started after the gather settled');
        assert.equal(observer.running, 0);
      },
    ),
    { numRuns: 100 },
  );
});

test('map matches the model: order, results, each item once, concurrency respected, collected or streamed', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArbitrary, { maxLength: 25 }),
      fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(Number.POSITIVE_INFINITY)),
      fc.boolean(),
      fc.constantFrom('array', 'generator', 'async generator'),
      fc.boolean(),
      async (specs, concurrency, returnExceptions, sourceKind, stream) => {
        const observer = new Observer();
        const indexes = specs.map((_, i) => i);
        function* generate(): Generator<number> {
          yield* indexes;
        }
        async function* generateAsync(): AsyncGenerator<number> {
          for (const i of indexes) {
            if (i % 4 === 0) await Promise.resolve();
            yield i;
          }
        }
        const source = sourceKind === 'array' ? indexes : sourceKind === 'generator' ? generate() : generateAsync();
        const run = map(source, (i, index, signal) => {
          assert.equal(index, i);
          return observer.work(i, specs[i], signal, true);
        }, { concurrency, returnExceptions });
        let outcome: { ok: true; value: unknown[] } | { ok: false; error: unknown };
        try {
          if (stream) {
            const values: unknown[] = [];
            for await (const value of run) values.push(value);
            outcome = { ok: true, value: values };
          } else {
            outcome = { ok: true, value: await run };
          }
        } catch (error) {
          outcome = { ok: false, error };
        }
        observer.settled = true;
        assert.equal(observer.running, 0, 'map settles only after the calls in flight');
        const anyFailure = specs.some((spec) => spec.fail);
        if (returnExceptions || !anyFailure) {
          assert.ok(outcome.ok);
          checkSlots(
            outcome.value,
            specs.map((spec) => ({ ...spec, kind: 'job' })),
          );
        } else {
          assert.ok(!outcome.ok);
          assert.equal(outcome.error, observer.failures[0], 'rejects with the first failure');
        }
        assert.ok(observer.maxRunning <= concurrency, `ran ${observer.maxRunning} at once, concurrency ${concurrency}`);
        specs.forEach((_, i) => {
          const times = observer.started.get(i) ?? 0;
          if (anyFailure && !returnExceptions) assert.ok(times <= 1);
          else assert.equal(times, 1, `item ${i} ran ${times} times`);
        });
        for (let i = 0; i < 2; i++) await nextMacrotask();
        assert.equal(observer.startedAfterSettle, 0, 'nothing started after the run settled');
      },
    ),
    { numRuns: 200 },
  );
});

test('map aborted at a random point: every running call saw the abort and nothing runs after it settled', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(specArbitrary.map((spec) => ({ ...spec, fail: false })), { minLength: 1, maxLength: 20 }),
      fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(Number.POSITIVE_INFINITY)),
      fc.integer({ min: 0, max: 6 }),
      async (specs, concurrency, abortAfter) => {
        const observer = new Observer();
        const controller = new AbortController();
        const run = map(specs, (spec, i, signal) => observer.work(i, spec, signal, true), {
          concurrency,
          signal: controller.signal,
        });
        const settled = Promise.resolve(run).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        for (let i = 0; i < abortAfter; i++) await nextMacrotask();
        const runningAtAbort = observer.running;
        observer.aborted = true;
        controller.abort();
        const outcome = await settled;
        observer.settled = true;
        if (outcome.ok) {
          assert.equal(runningAtAbort, 0, 'a run that resolved had finished before the abort');
          checkSlots(outcome.value, specs.map((spec) => ({ ...spec, kind: 'job' })));
        } else {
          assert.ok(outcome.error instanceof CancelledError);
          assert.equal(observer.running, 0, 'the calls in flight settled before the rejection');
          assert.equal(observer.sawAbort.size, runningAtAbort, 'every call running at the abort saw it');
        }
        for (let i = 0; i < 3; i++) await nextMacrotask();
        assert.equal(observer.startedAfterSettle, 0, 'nothing started after the run settled');
      },
    ),
    { numRuns: 100 },
  );
});
