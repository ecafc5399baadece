// The URL scheduler (issue 8): per-host limits without head-of-line blocking, exact global and
// per-host limits, slow and hanging URLs that never stall the rest, unordered rows with their index.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import fc from 'fast-check';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { HostLimiter } from '../../src/http/host-limit.js';
import { fetchAll, type FetchRow } from '../../src/http/index.js';
import { scheduleUrls } from '../../src/http/schedule.js';
import { testLookup } from './helpers.js';

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer({ port: 0 });
});
after(async () => {
  await server.close();
});

test('scheduleUrls: global and per-host limits hold at every start, and a free slot never waits behind a busy host', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(15))), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 3 }),
      fc.boolean(),
      async (spec, concurrency, perHost, grouped) => {
        const items = grouped ? [...spec].sort((a, b) => a[0] - b[0]) : spec;
        const urls = items.map(([host], i) => `http://h${host}.test.invalid/${i}`);
        const hosts = new HostLimiter(perHost);
        const perHostRunning = new Map<string, number>();
        let inFlight = 0;
        let maxInFlight = 0;
        let stalls = 0;
        const waiting = new Set(urls.map((_, i) => i));
        const host = (i: number): string => `h${items[i][0]}.test.invalid`;
        const run = scheduleUrls(
          urls,
          async (_url, index, _signal, admittedHost) => {
            waiting.delete(index);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            const running = (perHostRunning.get(host(index)) ?? 0) + 1;
            perHostRunning.set(host(index), running);
            assert.equal(admittedHost, host(index));
            assert.ok(inFlight <= concurrency, `${inFlight} in flight, concurrency ${concurrency}`);
            assert.ok(running <= perHost, `${running} to ${host(index)}, perHost ${perHost}`);
            assert.equal(hosts.inFlight(host(index)), running, 'the gate counts what runs');
            await delay(items[index][1]);
            perHostRunning.set(host(index), (perHostRunning.get(host(index)) as number) - 1);
            inFlight--;
            // Right after this one ends (before the scheduler reacts) a slot is free: check at the next turn.
            setImmediate(() => {
              if (inFlight < concurrency && [...waiting].some((i) => (perHostRunning.get(host(i)) ?? 0) < perHost)) stalls++;
            });
            return index;
          },
          { concurrency, window: 65_536, ordered: true, signal: undefined, gates: [hosts] },
        );
        const results = await run;
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(results, urls.map((_, i) => i));
        assert.equal(stalls, 0, 'a slot stayed free while a URL of a host with room waited');
        assert.equal(hosts.size, 0, 'every permit came back');
      },
    ),
    { numRuns: 50 },
  );
});

test('HostLimiter: a hop waiting in acquire() gets a released permit before new URLs; an aborted wait gives up cleanly', async () => {
  const hosts = new HostLimiter(1);
  assert.equal(hosts.tryTake('b'), true);
  const hop = hosts.acquire('b');
  assert.equal(hosts.tryTake('b'), Number.POSITIVE_INFINITY, 'a new URL waits while a hop waits');
  hosts.release('b');
  await hop;
  assert.equal(hosts.inFlight('b'), 1, 'the permit passed to the hop');
  const controller = new AbortController();
  const aborted = hosts.acquire('b', controller.signal);
  controller.abort('stop');
  await assert.rejects(aborted, { name: 'CancelledError' });
  hosts.release('b');
  assert.equal(hosts.size, 0);
  assert.equal(new HostLimiter(Number.POSITIVE_INFINITY).tryTake('x'), true);
});

test('fetchAll: a hanging URL in the middle does not stall the others (in order and unordered)', async () => {
  // 99 fast URLs take ~1 s at concurrency 4: all of them finish while the hanging one waits.
  const hangMs = 2_000;
  const urls = Array.from({ length: 100 }, (_, i) => (i === 10 ? `${server.url}/delay/${hangMs}` : `${server.url}/delay/40`));
  for (const ordered of [true, false]) {
    const t0 = performance.now();
    const finishedAt: number[] = [];
    const rows: FetchRow[] = [];
    for await (const row of fetchAll(urls, { concurrency: 4, ordered })) {
      rows.push(row);
      finishedAt.push(performance.now() - t0);
    }
    assert.ok(rows.every((row) => row.ok));
    if (ordered) {
      assert.deepEqual(rows.map((row) => row.url), urls);
      assert.equal(rows[0].index, undefined);
      // Every row after the hanging one had finished while it hung: they all come out at once after it.
      const spread = finishedAt[99] - finishedAt[10];
      assert.ok(spread < 300, `the 89 rows after the hanging one came ${spread.toFixed(0)} ms after it`);
    } else {
      assert.equal(rows[99].index, 10, 'the hanging URL finishes last');
      assert.deepEqual(rows.map((row) => row.index).sort((a, b) => (a as number) - (b as number)), urls.map((_, i) => i));
      rows.forEach((row) => assert.equal(row.url, urls[row.index as number]));
      assert.ok(finishedAt[98] < finishedAt[99] - 300, `the others finished by ${finishedAt[98].toFixed(0)} ms, the hanging one at ${finishedAt[99].toFixed(0)} ms`);
    }
  }
});

test('fetchAll: perHost with input grouped by host keeps every global slot busy (server-measured)', async () => {
  const port = server.port;
  // 3 hosts x 8 URLs, grouped; perHost 2 and concurrency 6 allow all three hosts at once.
  const urls = ['a', 'b', 'c'].flatMap((host) => Array.from({ length: 8 }, () => `http://${host}.test.invalid:${port}/delay/80`));
  server.resetStats();
  const rows = await fetchAll(urls, { concurrency: 6, perHost: 2, lookup: testLookup() });
  assert.ok(rows.every((row) => row.ok));
  assert.deepEqual(rows.map((row) => row.url), urls);
  const { maxInFlight } = server.stats();
  assert.equal(maxInFlight, 6, 'all three hosts ran at once, two each');
});

test('fetchAll: window and ordered are checked like the other options', () => {
  assert.throws(() => fetchAll([], { window: 0 }), { name: 'RangeError', message: /Expected `window` to be an integer from 1/ });
  assert.throws(() => fetchAll([], { ordered: 'no' as unknown as boolean }), { name: 'TypeError', message: /Expected `ordered` to be a boolean/ });
});

test('fetchAll: a redirect hop to another host waits for that host\'s perHost limit too', async () => {
  const port = server.port;
  const target = `http://b.test.invalid:${port}/delay/100`;
  const viaA = Array.from({ length: 3 }, (_, i) => `http://a.test.invalid:${port}/redirect-to?url=${encodeURIComponent(`${target}?from=${i}`)}`);
  const direct = Array.from({ length: 3 }, (_, i) => `${target}?direct=${i}`);
  const t0 = performance.now();
  const rows = await fetchAll([...viaA, ...direct], { concurrency: 6, perHost: 1, lookup: testLookup() });
  const elapsed = performance.now() - t0;
  assert.ok(rows.every((row) => row.ok));
  assert.deepEqual(rows.map((row) => row.redirects), [1, 1, 1, 0, 0, 0]);
  // Six 100 ms requests to b, one at a time: at least 600 ms whatever the load of the machine.
  assert.ok(elapsed >= 580, `six requests to b took ${elapsed.toFixed(0)} ms: more than one ran at once`);
});
