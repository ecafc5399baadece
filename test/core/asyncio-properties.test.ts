// Property tests of the asyncio toolbox under random interleavings of puts, gets, acquires and
// cancellations (cancellations land at random points, also right after a wake, the gh-90155 window).
// Delays are macrotask counts, so hundreds of runs take about a second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Lock, PriorityQueue, Queue, Semaphore, createTask, gather, type Task } from '../../src/core/index.js';

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Op {
  kind: 'put' | 'get';
  /** Cancel the pending op this many ops back (0: none), right after starting this one. */
  cancelBack: number;
  /** Let the loop run before the next op. */
  pause: boolean;
}

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op['kind']>('put', 'get'),
  cancelBack: fc.integer({ min: 0, max: 3 }),
  pause: fc.boolean(),
});

test('Queue: under random puts, gets and cancellations, successful gets see the successful puts in FIFO order and nothing is lost', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArbitrary, { maxLength: 30 }), fc.integer({ min: 0, max: 3 }), async (ops, maxsize) => {
      const queue = new Queue<number>(maxsize);
      const calls: { kind: Op['kind']; task: Task<number> | Task<void>; value: number }[] = [];
      for (const [i, op] of ops.entries()) {
        const task = op.kind === 'put' ? createTask(() => queue.put(i), { eager: true }) : createTask(() => queue.get(), { eager: true });
        calls.push({ kind: op.kind, task, value: i });
        if (op.cancelBack > 0 && calls.length > op.cancelBack) calls[calls.length - 1 - op.cancelBack].task.cancel();
        if (op.pause) await nextMacrotask();
      }
      for (const call of calls) call.task.cancel(); // whatever still waits gives up
      await gather(calls.map((call) => call.task), { returnExceptions: true });
      const put = calls.filter((c) => c.kind === 'put' && !c.task.cancelled()).map((c) => c.value);
      const got = calls.filter((c) => c.kind === 'get' && !c.task.cancelled()).map((c) => c.task.result() as number);
      const left: number[] = [];
      while (!queue.empty()) left.push(queue.getNowait());
      assert.deepEqual([...got, ...left], put);
      assert.ok(maxsize === 0 || left.length <= maxsize);
    }),
    { numRuns: 200 },
  );
});

test('PriorityQueue: every get returns the smallest item present (ties in arrival order)', () => {
  fc.assert(
    fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), { maxLength: 60 }), (steps) => {
      const queue = new PriorityQueue<[number, number]>();
      const model: [number, number][] = [];
      steps.forEach((priority, i) => {
        if (priority !== undefined) {
          queue.putNowait([priority, i]);
          model.push([priority, i]);
        } else if (model.length > 0) {
          model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          assert.deepEqual(queue.getNowait(), model.shift());
        }
      });
      assert.equal(queue.size, model.length);
    }),
    { numRuns: 300 },
  );
});

test('Semaphore and Lock: never over-granted, no body starts cancelled, no permit lost, under random cancellations', async () => {
  const scenario = fc.array(
    fc.record({ hold: fc.integer({ min: 0, max: 3 }), cancelAt: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }) }),
    { minLength: 1, maxLength: 12 },
  );
  await fc.assert(
    fc.asyncProperty(scenario, fc.integer({ min: 1, max: 3 }), fc.boolean(), async (workers, value, useLock) => {
      const sem = useLock ? undefined : new Semaphore(value);
      const lock = useLock ? new Lock() : undefined;
      const limit = useLock ? 1 : value;
      let holders = 0;
      let maxHolders = 0;
      let startedCancelled = 0;
      const tasks = workers.map(({ hold }) =>
        createTask(async (signal) => {
          const body = async (): Promise<void> => {
            if (signal.aborted) startedCancelled++;
            holders++;
            maxHolders = Math.max(maxHolders, holders);
            try {
              for (let i = 0; i < hold; i++) await nextMacrotask();
            } finally {
              holders--;
            }
          };
          await (lock ? lock.use(body) : (sem as Semaphore).use(body));
        }),
      );
      for (let tick = 0; tick <= 8; tick++) {
        workers.forEach(({ cancelAt }, i) => {
          if (cancelAt === tick) tasks[i].cancel();
        });
        await (tick % 2 === 0 ? Promise.resolve() : nextMacrotask());
      }
      await gather(tasks, { returnExceptions: true });
      assert.ok(maxHolders <= limit, `${maxHolders} holders at once, limit ${limit}`);
      assert.equal(startedCancelled, 0);
      if (sem) assert.deepEqual([sem.value, sem.waiting], [value, 0]);
      if (lock) assert.deepEqual([lock.locked(), lock.waiting], [false, 0]);
    }),
    { numRuns: 200 },
  );
});
