// Rate limits and per-host back-off (issue 11, item 2): the gate on an exact clock, a fast-check
// property for the 1-second windows, and end to end against a server that answers 429 to one host.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import fc from 'fast-check';
import { fetchAll } from '../../src/http/index.js';
import { GateQueue } from '../../src/http/gate-queue.js';
import { RateGate, backOffFromResponse } from '../../src/http/rate-gate.js';
import { testLookup } from './helpers.js';
import { listen } from './loopback-servers.js';

/** Drives a gate greedily: at each step, ask at `now`; on a wait, jump by it plus a random lateness. */
function startsOf(gate: RateGate, hosts: string[], lateness: number[]): { host: string; at: number }[] {
  const starts: { host: string; at: number }[] = [];
  let now = 0;
  for (let i = 0; i < lateness.length; i++) {
    const host = hosts[i % hosts.length]!;
    for (;;) {
      const answer = gate.tryTake(host, now);
      if (answer === true) break;
      now += answer + lateness[i]!;
    }
    starts.push({ host, at: now });
  }
  return starts;
}

function mostInOneSecond(times: number[]): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! > 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

test('rate: starts are evenly spaced, never a burst, and late timers are caught up', () => {
  const gate = new RateGate({ rate: 100 });
  assert.equal(gate.tryTake('a', 0), true);
  assert.equal(gate.tryTake('a', 0), 10); // the next start is 10 ms later, not at once
  assert.equal(gate.tryTake('b', 4), 6);
  assert.equal(gate.tryTake('b', 14), true); // 4 ms late
  assert.equal(gate.tryTake('b', 20), true); // caught up: 6 ms after, as scheduled
  assert.equal(gate.tryTake('b', 25), 5);
  assert.equal(gate.tryTake('b', 60), true); // 30 ms late: more than the slack, a new schedule
  assert.equal(gate.tryTake('b', 61), 9);
});

test('property: no 1-second window ever holds more than rate + 1 starts, whatever the timer lateness', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.5, max: 50, noNaN: true })),
      fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 10, maxLength: 300 }),
      (rate, lateness) => {
        const starts = startsOf(new RateGate({ rate }), ['a', 'b', 'c'], lateness);
        return mostInOneSecond(starts.map((s) => s.at)) <= Math.floor(rate) + 1;
      },
    ),
  );
});

test('property: ratePerHost holds per host, and hosts do not slow each other down', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 10, maxLength: 200 }), (rate, lateness) => {
      const starts = startsOf(new RateGate({ ratePerHost: rate }), ['a', 'b'], lateness);
      for (const host of ['a', 'b']) {
        if (mostInOneSecond(starts.filter((s) => s.host === host).map((s) => s.at)) > rate + 1) return false;
      }
      return true;
    }),
  );
});

test('penalize: only the host that asked waits; a later deadline extends, an earlier one does not shorten', () => {
  const gate = new RateGate();
  backOffFromResponse(gate, 'a', 429, 2_000, 30_000, 0);
  backOffFromResponse(gate, 'a', 503, 500, 30_000, 0);
  backOffFromResponse(gate, 'b', 500, 9_000, 30_000, 0); // not a back-off status
  assert.equal(gate.tryTake('a', 100), 1_900);
  assert.equal(gate.tryTake('b', 100), true);
  assert.equal(gate.tryTake('a', 2_000), true);
  backOffFromResponse(gate, 'c', 429, 120_000, 30_000, 0); // capped by maxRetryDelay
  assert.equal(gate.tryTake('c', 0), 30_000);
});

test('with a rate limit, a 429 with Retry-After from one host pauses that host only; the other keeps going', async () => {
  const starts: { host: string; at: number }[] = [];
  let refused = false;
  const server = await listen(
    createServer((req, res) => {
      const host = (req.headers.host ?? '').split(':')[0]!;
      starts.push({ host, at: performance.now() });
      if (host === 'slow.test.invalid' && !refused) {
        refused = true;
        res.writeHead(429, { 'retry-after': '2' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }),
  );
  try {
    const slow = Array.from({ length: 3 }, (_, i) => `http://slow.test.invalid:${server.port}/${i}`);
    const fast = Array.from({ length: 20 }, (_, i) => `http://fast.test.invalid:${server.port}/${i}`);
    const began = performance.now();
    // One request at a time to a host and no retries: without the back-off, slow/1 would start
    // as soon as slow/0's 429 arrived.
    const rows = await fetchAll([...slow, ...fast], { lookup: testLookup(), proxy: false, concurrency: 4, perHost: 1, retries: 0, ratePerHost: 1000 });
    assert.deepEqual(rows.map((r) => r.status), [429, ...Array(22).fill(200)]);
    const firstRefusal = starts.find((s) => s.host === 'slow.test.invalid')!.at;
    const laterSlow = starts.filter((s) => s.host === 'slow.test.invalid').slice(1);
    assert.ok(laterSlow.every((s) => s.at - firstRefusal >= 1950), 'no request to the paused host before its Retry-After');
    const fastDone = Math.max(...starts.filter((s) => s.host === 'fast.test.invalid').map((s) => s.at));
    assert.ok(fastDone < laterSlow[0]!.at, `the other host went on while the first waited (${Math.round(fastDone - began)} ms)`);
  } finally {
    await server.close();
  }
});

test('rate end to end: 20 requests at 40/s take about half a second, evenly', async () => {
  const starts: number[] = [];
  const server = await listen(createServer((_req, res) => (starts.push(performance.now()), res.end('ok'))));
  try {
    const urls = Array.from({ length: 20 }, (_, i) => `${server.url}/${i}`);
    await fetchAll(urls, { rate: 40, concurrency: 8, proxy: false });
    const span = starts.at(-1)! - starts[0]!;
    assert.ok(span >= 19 * 25 * 0.9 && span < 1500, `${Math.round(span)} ms`);
    // No burst: any three starts span at least 2 x 25 ms minus the catch-up slack (12.5 ms), so no
    // 25 ms (a margin for the loaded box) ever holds three.
    const threes = starts.slice(2).map((t, i) => t - starts[i]!);
    assert.ok(Math.min(...threes) > 25, `three starts within ${Math.min(...threes).toFixed(1)} ms`);
  } finally {
    await server.close();
  }
});

test('GateQueue: a waiter on a paused host does not hold up a later one on another host; abort leaves no timer', async () => {
  const gate = new RateGate({ rate: 1000 });
  const queue = new GateQueue(gate);
  gate.penalize('paused', performance.now() + 300);
  const began = performance.now();
  const done: string[] = [];
  const paused = queue.wait('paused', new AbortController().signal).then(() => done.push('paused'));
  const other = queue.wait('other', new AbortController().signal).then(() => done.push('other'));
  await other;
  assert.ok(performance.now() - began < 250, 'the other host went first');
  await paused;
  assert.deepEqual(done, ['other', 'paused']);
  assert.ok(performance.now() - began >= 290);

  gate.penalize('paused', performance.now() + 10_000);
  const controller = new AbortController();
  const cancelled = queue.wait('paused', controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(cancelled, /stop/);
  assert.equal(queue.size, 0);
  assert.ok(!process.getActiveResourcesInfo().includes('Timeout'), 'no timer left');
});
