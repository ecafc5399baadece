import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createDnsCache } from '../../src/http/dns-cache.js';

function countingLookup(delayMs = 5): { lookup: LookupFunction; calls: string[] } {
  const calls: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    calls.push(hostname);
    setTimeout(() => {
      if (!hostname.endsWith('.test.invalid')) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
      } else if (options.all) {
        callback(null, [{ address: '127.0.0.1', family: 4 }]);
      } else {
        callback(null, '127.0.0.1', 4);
      }
    }, delayMs);
  };
  return { lookup, calls };
}

function ask(lookup: LookupFunction, hostname: string, all: boolean): Promise<{ error: unknown; address: unknown; family: unknown }> {
  return new Promise((resolve) => lookup(hostname, { all }, (error, address, family) => resolve({ error, address, family })));
}

test('dns cache: concurrent lookups of one name share one query', async () => {
  const { lookup, calls } = countingLookup();
  const cached = createDnsCache(lookup);
  const answers = await Promise.all(Array.from({ length: 10 }, () => ask(cached, 'a.test.invalid', true)));
  assert.deepEqual(calls, ['a.test.invalid']);
  for (const answer of answers) assert.deepEqual(answer.address, [{ address: '127.0.0.1', family: 4 }]);
  assert.equal(cached.queries, 1);
});

test('dns cache: later lookups are answered from memory, asynchronously', async () => {
  const { lookup, calls } = countingLookup();
  const cached = createDnsCache(lookup);
  await ask(cached, 'a.test.invalid', false);
  let sync = true;
  const later = ask(cached, 'a.test.invalid', false).then((answer) => ({ answer, sync }));
  sync = false;
  const { answer, sync: wasSync } = await later;
  assert.equal(wasSync, false);
  assert.equal(answer.address, '127.0.0.1');
  assert.equal(answer.family, 4);
  assert.deepEqual(calls, ['a.test.invalid']);
});

test('dns cache: one query answers both the single and the `all` shape', async () => {
  const { lookup, calls } = countingLookup();
  const cached = createDnsCache(lookup);
  const [one, all] = await Promise.all([ask(cached, 'b.test.invalid', false), ask(cached, 'b.test.invalid', true)]);
  assert.equal(one.address, '127.0.0.1');
  assert.deepEqual(all.address, [{ address: '127.0.0.1', family: 4 }]);
  assert.equal(calls.length, 1);
});

test('dns cache: failures are cached for the run too, per name', async () => {
  const { lookup, calls } = countingLookup();
  const cached = createDnsCache(lookup);
  const first = await ask(cached, 'nonexistent.invalid', true);
  const second = await ask(cached, 'nonexistent.invalid', false);
  assert.equal((first.error as NodeJS.ErrnoException).code, 'ENOTFOUND');
  assert.equal((second.error as NodeJS.ErrnoException).code, 'ENOTFOUND');
  assert.deepEqual(calls, ['nonexistent.invalid']);
  await ask(cached, 'other.test.invalid', true);
  assert.equal(calls.length, 2);
  cached.clear();
  await ask(cached, 'other.test.invalid', true);
  assert.equal(calls.length, 3);
});

test('dns cache: a lookup that answers synchronously, or throws, still answers asynchronously', async () => {
  const syncLookup: LookupFunction = (_hostname, _options, callback) => callback(null, '10.0.0.1', 4);
  const answer = await ask(createDnsCache(syncLookup), 'x.test.invalid', true);
  assert.deepEqual(answer.address, [{ address: '10.0.0.1', family: 4 }] satisfies LookupAddress[]);
  const throwing: LookupFunction = () => {
    throw Object.assign(new Error('boom'), { code: 'EAI_FAIL' });
  };
  const failed = await ask(createDnsCache(throwing), 'y.test.invalid', false);
  assert.equal((failed.error as NodeJS.ErrnoException).code, 'EAI_FAIL');
});

test('dns cache: an empty answer is ENOTFOUND', async () => {
  const empty: LookupFunction = (_hostname, _options, callback) => callback(null, [], 4);
  const answer = await ask(createDnsCache(empty), 'z.test.invalid', true);
  assert.equal((answer.error as NodeJS.ErrnoException).code, 'ENOTFOUND');
});

test('names under .invalid never reach the system resolver (RFC 6761): ENOTFOUND at once', async () => {
  const lookup = createDnsCache();
  const started = performance.now();
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => lookup('nothing-here.example.invalid', {}, (err) => resolve(err)));
  assert.equal(error?.code, 'ENOTFOUND');
  assert.equal(lookup.queries, 1);
  assert.ok(performance.now() - started < 50, 'answered locally, not by a resolver timeout');
});

test('dns cache: an out-of-descriptors failure is not remembered: the next lookup asks again', async () => {
  let calls = 0;
  const cache = createDnsCache(((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    calls++;
    if (calls === 1) return callback(Object.assign(new Error('getaddrinfo EMFILE'), { code: 'EMFILE' }), options.all ? [] : '', 0);
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  }) as never);
  const ask = (): Promise<unknown> =>
    new Promise((resolve) => cache('a.test.invalid', { all: true }, (error, addresses) => resolve(error ? (error as NodeJS.ErrnoException).code : addresses)));
  assert.equal(await ask(), 'EMFILE');
  assert.deepEqual(await ask(), [{ address: '127.0.0.1', family: 4 }]);
  assert.equal(calls, 2);
});
