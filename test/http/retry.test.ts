import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isTransientError, isTransientStatus, parseRetryAfter, retryDelay } from '../../src/http/retry.js';
import { headersForHop, redirectTarget } from '../../src/http/redirect.js';

test('retry: transient causes are reset, 429, 502, 503, 504 only', () => {
  for (const status of [429, 502, 503, 504]) assert.equal(isTransientStatus(status), true, String(status));
  for (const status of [200, 301, 400, 404, 500, 501, 505]) assert.equal(isTransientStatus(status), false, String(status));
  assert.equal(isTransientError('reset'), true);
  for (const code of ['refused', 'dns', 'timeout', 'tls', 'too_large', 'bad_body', 'http'] as const) {
    assert.equal(isTransientError(code), false, code);
  }
});

test('retry: Retry-After as seconds or an HTTP-date; garbage ignored', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter(' 3 ', now), 3000);
  assert.equal(parseRetryAfter(['7'], now), 7000);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now), 5000);
  assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0); // in the past: now
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-1', now), undefined);
  assert.equal(parseRetryAfter('1.5', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('retry: full-jitter backoff stays within [0, min(max, base * 2^(n-1))]', () => {
  assert.equal(backoffDelay(1, 250, 30_000, () => 0.999999), 249);
  assert.equal(backoffDelay(3, 250, 30_000, () => 0.5), 500);
  assert.equal(backoffDelay(20, 250, 30_000, () => 0.999999), 29_999);
  assert.equal(backoffDelay(2, 250, 30_000, () => 0), 0);
  for (let n = 1; n < 10; n++) {
    const delay = backoffDelay(n, 100, 1_000);
    assert.ok(delay >= 0 && delay <= Math.min(1_000, 100 * 2 ** (n - 1)));
  }
});

test('retry: Retry-After wins over the backoff, and both are capped by maxRetryDelay', () => {
  assert.equal(retryDelay({ retry: 1, retryAfter: '2', base: 250, max: 30_000 }), 2000);
  assert.equal(retryDelay({ retry: 1, retryAfter: '120', base: 250, max: 30_000 }), 30_000);
  assert.equal(retryDelay({ retry: 5, base: 10_000, max: 1_000, random: () => 0.999999 }), 999);
  assert.equal(retryDelay({ retry: 1, retryAfter: 'nonsense', base: 200, max: 30_000, random: () => 0.5 }), 100);
});

test('redirect: relative, absolute and protocol-relative Locations resolve against the current URL', () => {
  const base = new URL('http://a.test/dir/page?q=1');
  assert.equal((redirectTarget(302, 'next', base) as URL).href, 'http://a.test/dir/next');
  assert.equal((redirectTarget(301, '/root', base) as URL).href, 'http://a.test/root');
  assert.equal((redirectTarget(307, '//b.test/x', base) as URL).href, 'http://b.test/x');
  assert.equal((redirectTarget(308, 'https://c.test/', base) as URL).href, 'https://c.test/');
  assert.equal((redirectTarget(303, ['/first', '/second'], base) as URL).href, 'http://a.test/first');
});

test('redirect: not a redirect without a 3xx redirect status or without Location', () => {
  const base = new URL('http://a.test/');
  assert.equal(redirectTarget(200, '/x', base), null);
  assert.equal(redirectTarget(304, '/x', base), null);
  assert.equal(redirectTarget(302, undefined, base), null);
  assert.equal(redirectTarget(302, '  ', base), null);
});

test('redirect: bad Locations are row errors', () => {
  const base = new URL('http://a.test/');
  assert.equal((redirectTarget(302, 'http://[bad', base) as { code: string }).code, 'invalid_url');
  assert.equal((redirectTarget(302, 'ftp://a.test/file', base) as { code: string }).code, 'unsupported_scheme');
  assert.equal((redirectTarget(302, 'javascript:alert(1)', base) as { code: string }).code, 'unsupported_scheme');
});

test('redirect: the fragment is kept when the Location has none', () => {
  const base = new URL('http://a.test/page#part');
  assert.equal((redirectTarget(302, '/other', base) as URL).href, 'http://a.test/other#part');
  assert.equal((redirectTarget(302, '/other#own', base) as URL).href, 'http://a.test/other#own');
});

test('redirect: credentials are dropped across origins, kept within one', () => {
  const headers = { authorization: 'Bearer t', cookie: 'a=1', 'user-agent': 'x' };
  const a = new URL('https://a.test/1');
  assert.equal(headersForHop(headers, a, new URL('https://a.test/2')), headers);
  assert.deepEqual(headersForHop(headers, a, new URL('https://b.test/')), { 'user-agent': 'x' });
  assert.deepEqual(headersForHop(headers, a, new URL('http://a.test/')), { 'user-agent': 'x' });
  assert.equal(headers.authorization, 'Bearer t'); // the original is untouched
});
