// The hop loop's pieces, without a server: the head steps (redirect, retry), the failure step,
// the redirect checks, and the URL's deadline clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineClock } from '../../src/http/deadline.js';
import type { ResponseHead } from '../../src/http/exchange.js';
import { resolveOptions } from '../../src/http/options.js';
import { checkRedirect, headersForHop, isDowngrade } from '../../src/http/redirect.js';
import { HEAD_STEPS, judgeFailure, judgeHead, type HopState } from '../../src/http/steps.js';
import type { FetchRowError } from '../../src/http/types.js';

const head = (status: number, extra: Partial<ResponseHead> = {}): ResponseHead => ({
  status,
  statusText: '',
  contentType: undefined,
  contentEncoding: undefined,
  contentLength: undefined,
  location: undefined,
  retryAfter: undefined,
  ...extra,
});

const hop = (retriesLeft: number, fits = true): HopState => ({
  url: new URL('http://a.test/x'),
  options: resolveOptions({ retries: 2, retryDelay: 100 }, 'test', 'fetch'),
  retriesLeft,
  fits: () => fits,
});

test('steps: redirect first, then retry; a plain answer is final', () => {
  assert.deepEqual(HEAD_STEPS.length, 2);
  const redirect = judgeHead(head(302, { location: '/y' }), hop(2));
  assert.equal(redirect?.kind, 'redirect');
  assert.equal(redirect?.kind === 'redirect' && redirect.to.href, 'http://a.test/y');
  assert.deepEqual(judgeHead(head(503, { retryAfter: '1' }), hop(2)), { kind: 'retry', delay: 1000 });
  assert.equal(judgeHead(head(503), hop(0)), undefined, 'no retries left: the 503 stands');
  assert.equal(judgeHead(head(503), hop(2, false)), undefined, 'a wait past the deadline: the 503 stands');
  assert.equal(judgeHead(head(200), hop(2)), undefined);
  assert.equal(judgeHead(head(302, { location: 'ftp://a.test/' }), hop(2))?.kind, 'error');
});

test('steps: a custom step list composes in order', () => {
  const refuseAll = (): { kind: 'error'; error: FetchRowError } => ({ kind: 'error', error: { code: 'http', message: 'no' } });
  assert.equal(judgeHead(head(200), hop(2), [refuseAll, ...HEAD_STEPS])?.kind, 'error');
});

test('steps: only transient failures are retried, while retries are left', () => {
  const reset: FetchRowError = { code: 'reset', message: 'connection reset' };
  assert.equal(judgeFailure(reset, hop(1)).kind, 'retry');
  assert.deepEqual(judgeFailure(reset, hop(0)), { kind: 'error', error: reset });
  const unknown: FetchRowError = { code: 'unknown', message: 'weird' };
  assert.deepEqual(judgeFailure(unknown, hop(2)), { kind: 'error', error: unknown });
});

test('redirect checks: loops, the hop limit, headers across origins, downgrades', () => {
  const a = new URL('http://a.test/1');
  const b = new URL('http://a.test/2');
  assert.equal(checkRedirect(a, b, new Set([a.href]), 0, 10), null);
  assert.equal(checkRedirect(a, b, new Set([a.href, b.href]), 1, 10)?.code, 'too_many_redirects');
  assert.match(checkRedirect(a, b, new Set([a.href]), 10, 10)!.message, /more than 10 redirects/);
  const headers = { host: 'h', authorization: 'x', cookie: 'c', accept: '*/*' };
  assert.equal(headersForHop(headers, a, b), headers);
  assert.deepEqual(headersForHop(headers, a, new URL('http://b.test/')), { accept: '*/*' });
  assert.equal(isDowngrade(new URL('https://a.test/'), a), true);
  assert.equal(isDowngrade(a, new URL('https://a.test/')), false);
});

test('deadline clock: the headers deadline fires on its own; met headers and stop() silence it', async () => {
  const fired: string[] = [];
  const owner = { phase: 'headers' as const, expired: (error: FetchRowError) => void fired.push(error.message) };
  const clock = new DeadlineClock(10_000, 30, owner);
  clock.request();
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(fired, ['timed out after 30 ms waiting for response headers']);
  const quiet = new DeadlineClock(40, 20, owner);
  quiet.request();
  quiet.headersArrived();
  assert.equal(quiet.fits(10), true);
  assert.equal(quiet.fits(100), false);
  quiet.stop();
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(fired.length, 1);
});
