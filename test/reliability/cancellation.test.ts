// Cancellation at random points (fast-check picks the abort time): every started job sees it,
// nothing of ours is pending once the promise settles, and every socket is closed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CancelledError, gather, map, sleep, TaskGroup } from '../../src/core/index.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { fetchAll } from '../../src/http/index.js';
import { activeResources, settleHandles } from './handles.js';

/** A job that records that it started, and whether it saw its cancellation. */
function tracker() {
  const started = new Set<number>();
  const sawCancel = new Set<number>();
  const finished = new Set<number>();
  const job = (id: number, ms: number) => async (signal?: AbortSignal) => {
    started.add(id);
    try {
      await sleep(ms, undefined, { signal });
      finished.add(id);
      return id;
    } catch (error) {
      if (error instanceof CancelledError) sawCancel.add(id);
      throw error;
    }
  };
  /** Every job that started either finished before the abort or saw it. */
  function check(): void {
    for (const id of started) assert.ok(finished.has(id) || sawCancel.has(id), `job ${id} neither finished nor saw the cancel`);
  }
  return { job, check, started };
}

const abortPlan = fc.record({
  abortAt: fc.integer({ min: 0, max: 40 }),
  delays: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 12 }),
});

async function expectSettledClean(outcome: Promise<unknown>, before: string[]): Promise<void> {
  await outcome.then(
    () => undefined,
    (error: unknown) => assert.ok(error instanceof CancelledError, `unexpected ${String(error)}`),
  );
  // nothing of ours is pending at the moment the promise settles: no extra timer
  const extra = activeResources().filter((kind) => kind === 'Timeout').length - before.filter((kind) => kind === 'Timeout').length;
  assert.ok(extra <= 1, `${extra} timers left`); // 1: the test's own abort timer may still be pending
}

/** Starts a run with an abort scheduled `abortAt` ms later, and checks that it settles clean. */
async function abortedAt(abortAt: number, start: (signal: AbortSignal) => PromiseLike<unknown>): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), abortAt);
  const before = activeResources();
  await expectSettledClean(Promise.resolve(start(controller.signal)), before);
  clearTimeout(timer);
}

describe('cancellation at random points', () => {
  it('gather: every started job sees the abort, no timer left', async () => {
    await fc.assert(
      fc.asyncProperty(abortPlan, async ({ abortAt, delays }) => {
        const t = tracker();
        await abortedAt(abortAt, (signal) => gather(delays.map((ms, id) => t.job(id, ms)), { signal }));
        t.check();
      }),
      { numRuns: 40 },
    );
  });

  it('map: every started call sees the abort, no timer left', async () => {
    await fc.assert(
      fc.asyncProperty(abortPlan, fc.integer({ min: 1, max: 4 }), async ({ abortAt, delays }, concurrency) => {
        const t = tracker();
        await abortedAt(abortAt, (signal) => map(delays, (ms, id, callSignal) => t.job(id, ms)(callSignal), { concurrency, signal }));
        t.check();
        assert.ok(t.started.size <= delays.length);
      }),
      { numRuns: 40 },
    );
  });

  it('TaskGroup: every task and the body see the abort', async () => {
    await fc.assert(
      fc.asyncProperty(abortPlan, async ({ abortAt, delays }) => {
        const t = tracker();
        let bodySawCancel = false;
        const body = async (group: TaskGroup): Promise<void> => {
          delays.forEach((ms, id) => group.createTask(t.job(id, ms)));
          try {
            await sleep(35); // the body waits too, without passing a signal: the group's scope cancels it
          } catch (error) {
            bodySawCancel = error instanceof CancelledError;
            throw error;
          }
        };
        await abortedAt(abortAt, (signal) => TaskGroup.run(body, { signal }));
        t.check();
        if (abortAt < 30) assert.ok(bodySawCancel, 'the body saw the cancel');
      }),
      { numRuns: 40 },
    );
  });
});

describe('cancelling a fetch run at a random point', () => {
  let server: FixtureServer;
  before(async () => {
    server = await startFixtureServer();
  });
  after(() => server.close());

  it('rejects with CancelledError, aborts its requests, and closes every socket', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 250 }), fc.integer({ min: 1, max: 8 }), async (abortAt, concurrency) => {
        const before = activeResources();
        const urls = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? `${server.url}/slow-body?chunks=4&ms=25&i=${i}` : `${server.url}/delay/${20 + (i % 5) * 10}?i=${i}`));
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), abortAt);
        const rows: unknown[] = [];
        let outcome: unknown = 'completed';
        try {
          for await (const row of fetchAll(urls, { concurrency, signal: controller.signal })) rows.push(row);
        } catch (error) {
          outcome = error;
        }
        clearTimeout(timer);
        if (outcome !== 'completed') assert.ok(outcome instanceof CancelledError, String(outcome));
        else assert.equal(rows.length, urls.length);
        // the server sees every request end (aborted or answered), and no socket is left on our side
        for (let i = 0; i < 50 && server.stats().inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(server.stats().inFlight, 0, 'requests still in flight at the server');
        await settleHandles();
        const sockets = (list: string[]) => list.filter((kind) => kind === 'TCPSocketWrap').length;
        assert.ok(sockets(activeResources()) <= sockets(before), `sockets before ${sockets(before)}, after ${sockets(activeResources())}`);
      }),
      { numRuns: 15 },
    );
  });
});
