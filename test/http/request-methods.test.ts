// Methods, bodies and cookies (issue 11, item 1), against a loopback server that echoes them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fetchAll, fetchOne } from '../../src/http/index.js';
import { afterRedirect } from '../../src/http/request-body.js';
import { isIdempotent, resolveRequestOptions } from '../../src/http/request-options.js';
import { startEcho, type Echo } from './loopback-servers.js';

let server: Awaited<ReturnType<typeof startEcho>>;
before(async () => {
  server = await startEcho();
});
after(() => server.close());

const NO_PROXY = { proxy: false } as const;

test('POST with a body and cookies: the server sees method, body, content-type and the cookie header', async () => {
  const row = await fetchOne(`${server.url}/submit`, {
    ...NO_PROXY,
    json: true,
    method: 'post',
    body: 'a=1&b=2',
    cookie: 'c=3; d=4',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'x=0' },
  });
  assert.equal(row.ok, true);
  assert.deepEqual(row.json, { method: 'POST', path: '/submit', body: 'a=1&b=2', cookie: 'x=0; c=3; d=4', contentType: 'application/x-www-form-urlencoded' });
});

test('a Buffer body goes out byte for byte; PUT is idempotent and keeps its retries', async () => {
  const row = await fetchOne(`${server.url}/b`, { ...NO_PROXY, json: true, method: 'PUT', body: Buffer.from('héllo') });
  assert.equal((row.json as Echo).body, 'héllo');
  assert.equal(isIdempotent('PUT'), true);
});

test('POST is not retried on a 503 by default (RFC 9110), and is with retryAll', async () => {
  const before = server.seen.length;
  const once = await fetchOne(`${server.url}/status/503?after=0`, { ...NO_PROXY, method: 'POST', body: 'x', retries: 2 });
  assert.equal(once.attempts, 1);
  assert.equal(server.seen.length - before, 1);
  const again = await fetchOne(`${server.url}/status/503?after=0`, { ...NO_PROXY, method: 'POST', body: 'x', retries: 2, retryAll: true });
  assert.equal(again.attempts, 3);
  assert.equal(server.seen.length - before, 4);
});

test('a 303 after POST is followed with a GET without body; a 307 and a 308 repeat method and body', async () => {
  const options = { ...NO_PROXY, json: true, method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
  const rows = await fetchAll(
    [`${server.url}/redirect/303?to=/landed`, `${server.url}/redirect/307?to=/landed`, `${server.url}/redirect/308?to=/landed`, `${server.url}/redirect/302?to=/landed`],
    options,
  );
  const seen = rows.map((r) => r.json as Echo);
  assert.deepEqual(seen.map((e) => [e.method, e.body, e.contentType]), [
    ['GET', '', null],
    ['POST', 'payload', 'text/plain'],
    ['POST', 'payload', 'text/plain'],
    ['GET', '', null],
  ]);
  assert.ok(rows.every((r) => r.redirects === 1));
});

test('afterRedirect: GET and HEAD are never rewritten; headers are left alone when nothing changes', () => {
  const headers = { 'content-type': 'text/plain' };
  assert.equal(afterRedirect({ method: 'GET', body: undefined }, headers, 301).headers, headers);
  assert.deepEqual(afterRedirect({ method: 'HEAD', body: undefined }, headers, 303).hop, { method: 'HEAD', body: undefined });
  assert.deepEqual(afterRedirect({ method: 'PATCH', body: 'x' }, headers, 301), { hop: { method: 'GET', body: undefined }, headers: {} });
});

test('bad method, body and cookie options are TypeErrors naming the option', () => {
  assert.throws(() => resolveRequestOptions({ method: 'GE T' }), /`method`/);
  assert.throws(() => resolveRequestOptions({ body: 42 }), /`body`/);
  assert.throws(() => resolveRequestOptions({ body: 'x' }), /no `body` with method GET/);
  assert.throws(() => resolveRequestOptions({ cookie: 'a=1\r\nx: y' }), /`cookie`/);
  assert.throws(() => fetchAll([], { method: 'POST', retryAll: 'yes' } as never), /`retryAll`/);
});
