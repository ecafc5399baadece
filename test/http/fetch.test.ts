import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHARSET_SAMPLES, TITLE_ENTITIES_DECODED, startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { fetchAll, fetchOne, scrape, type FetchRow } from '../../src/http/index.js';
import { refusedPort, testLookup, uniqueKey } from './helpers.js';

let server: FixtureServer;
let base: string;
const url = (path: string): string => `${base}${path}`;

before(async () => {
  server = await startFixtureServer({ port: 0 });
  base = server.url;
});

after(async () => {
  await server.close();
});

async function one(path: string, options: Parameters<typeof fetchAll>[1] = {}): Promise<FetchRow> {
  const [row] = await fetchAll([path.includes('://') ? path : url(path)], options);
  return row!;
}

test('fetch: /html gives status 200 and the page title', async () => {
  const row = await one('/html');
  assert.equal(row.ok, true);
  assert.equal(row.status, 200);
  assert.equal(row.title, 'Herman Melville - Moby-Dick');
  assert.equal(row.finalUrl, url('/html'));
  assert.equal(row.url, url('/html'));
  assert.equal(row.redirects, 0);
  assert.equal(row.attempts, 1);
  assert.equal(row.error, null);
  assert.ok(row.bytes > 0);
  assert.ok(row.timeMs >= 0);
  assert.equal('json' in row, false);
});

test('fetch: /page/:id titles, rows in input order', async () => {
  const ids = Array.from({ length: 20 }, (_, i) => i);
  const rows = await fetchAll(ids.map((id) => url(`/page/${id}`)), { concurrency: 7 });
  assert.deepEqual(rows.map((r) => r.title), ids.map((id) => `Page ${id}`));
});

test('fetch: rows come in input order when completion order differs', async () => {
  const delays = [400, 0, 250, 50, 0];
  const rows = await fetchAll(delays.map((ms) => url(`/delay/${ms}`)));
  assert.deepEqual(rows.map((r) => r.title), delays.map((ms) => `Delayed ${ms} ms`));
});

test('fetch: JSON mode parses /users/:name; a missing user is an http error that keeps its JSON', async () => {
  const rows = await fetchAll([url('/users/octocat'), url('/users/missing-someone')], { json: true });
  assert.equal(rows[0]!.ok, true);
  assert.deepEqual(rows[0]!.json, { login: 'octocat', name: 'The Octocat', public_repos: 8, id: 583231 });
  assert.equal(rows[1]!.ok, false);
  assert.equal(rows[1]!.status, 404);
  assert.deepEqual(rows[1]!.error, { code: 'http', message: 'HTTP 404 Not Found' });
  assert.deepEqual(rows[1]!.json, { message: 'Not Found' });
});

test('fetch: JSON mode: /json-bad and binary bodies are bad_body', async () => {
  const [bad, garbage] = await fetchAll([url('/json-bad'), url('/garbage')], { json: true });
  assert.equal(bad!.ok, false);
  assert.equal(bad!.status, 200);
  assert.equal(bad!.error!.code, 'bad_body');
  assert.match(bad!.error!.message, /^response body is not valid JSON: /);
  assert.equal(garbage!.error!.code, 'bad_body');
});

test('fetch: /status/404 is an http error carrying status and title; httpErrors: false makes it ok', async () => {
  const row = await one('/status/404');
  assert.equal(row.ok, false);
  assert.equal(row.status, 404);
  assert.equal(row.title, '404 Not Found');
  assert.deepEqual(row.error, { code: 'http', message: 'HTTP 404 Not Found' });
  const lenient = await one('/status/500', { httpErrors: false });
  assert.equal(lenient.ok, true);
  assert.equal(lenient.status, 500);
  assert.equal(lenient.error, null);
  const empty = await one('/status/204');
  assert.equal(empty.ok, true);
  assert.equal(empty.status, 204);
  assert.equal(empty.title, null);
});

test('fetch: charsets by header, <meta charset> and http-equiv', async () => {
  const cases: [string, string][] = [];
  for (const [name, sample] of CHARSET_SAMPLES) {
    for (const via of ['header', 'meta', 'http-equiv']) cases.push([url(`/charset/${name}?via=${via}`), sample.title]);
  }
  const rows = await fetchAll(cases.map(([u]) => u));
  rows.forEach((row, i) => assert.equal(row.title, cases[i]![1], row.url));
  assert.ok(cases.length >= 9);
});

test('fetch: an unknown charset falls back to UTF-8', async () => {
  const row = await one('/charset/bad');
  assert.equal(row.ok, true);
  assert.equal(row.title, 'Bad charset');
});

test('fetch: title entities decoded and whitespace collapsed', async () => {
  assert.equal((await one('/title-entities')).title, TITLE_ENTITIES_DECODED);
});

test('fetch: gzip, br and deflate bodies', async () => {
  const rows = await fetchAll(['/gzip', '/br', '/deflate'].map(url));
  assert.deepEqual(rows.map((r) => r.title), ['Compressed gzip', 'Compressed br', 'Compressed deflate']);
  for (const row of rows) assert.ok(row.ok);
});

test('fetch: a gzip bomb stops at maxBytes: too_large', async () => {
  const row = await one('/bomb', { maxBytes: 2 * 1024 * 1024 });
  assert.equal(row.ok, false);
  assert.equal(row.status, 200);
  assert.equal(row.error!.code, 'too_large');
  assert.equal(row.bytes, 2 * 1024 * 1024);
});

test('fetch: a 5 MB page: the title is read without reading the whole body', async () => {
  const row = await one(`/big/${5 * 1024 * 1024}`);
  assert.equal(row.ok, true);
  assert.equal(row.title, 'Big page');
  assert.ok(row.bytes < 256 * 1024, `read ${row.bytes} bytes`);
  // maxBytes is about what we need to read, not the size of the page
  const small = await one(`/big/${5 * 1024 * 1024}`, { maxBytes: 100_000 });
  assert.equal(small.ok, true);
  assert.equal(small.title, 'Big page');
});

test('fetch: redirects are followed and counted; finalUrl is the last URL', async () => {
  const row = await one('/redirect/3');
  assert.equal(row.ok, true);
  assert.equal(row.redirects, 3);
  assert.equal(row.finalUrl, url('/redirect/0'));
  assert.equal(row.title, 'Redirect target');
  assert.equal(row.url, url('/redirect/3'));
});

test('fetch: more redirects than maxRedirects, and a redirect loop, are too_many_redirects', async () => {
  const over = await one('/redirect/5', { maxRedirects: 2 });
  assert.equal(over.ok, false);
  assert.equal(over.error!.code, 'too_many_redirects');
  assert.equal(over.redirects, 2);
  assert.equal(over.status, 302);
  const loop = await one('/redirect-loop');
  assert.equal(loop.error!.code, 'too_many_redirects');
  assert.match(loop.error!.message, /redirect loop/);
});

test('fetch: a redirect to another scheme is unsupported_scheme', async () => {
  const row = await one(`/redirect-to?url=${encodeURIComponent('ftp://files.test.invalid/x')}`);
  assert.equal(row.error!.code, 'unsupported_scheme');
});

test('fetch: 503 with Retry-After 0 is retried; attempts counts them', async () => {
  const row = await one(`/retry/2?key=${uniqueKey()}`);
  assert.equal(row.ok, true);
  assert.equal(row.title, 'Retry ok');
  assert.equal(row.attempts, 3);
  const exhausted = await one(`/retry/5?key=${uniqueKey()}`, { retries: 1 });
  assert.equal(exhausted.ok, false);
  assert.equal(exhausted.status, 503);
  assert.equal(exhausted.attempts, 2);
  assert.equal(exhausted.error!.code, 'http');
  const none = await one(`/retry/1?key=${uniqueKey()}`, { retries: 0 });
  assert.equal(none.status, 503);
  assert.equal(none.attempts, 1);
});

test('fetch: 429 honours Retry-After seconds', async () => {
  const row = await one(`/retry-429/1?key=${uniqueKey()}&after=1`);
  assert.equal(row.ok, true);
  assert.equal(row.attempts, 2);
  assert.ok(row.timeMs >= 900, `waited only ${row.timeMs} ms`);
});

test('fetch: Retry-After is capped by maxRetryDelay', async () => {
  const row = await one(`/retry-429/1?key=${uniqueKey()}&after=3600`, { maxRetryDelay: 100 });
  assert.equal(row.ok, true);
  assert.equal(row.attempts, 2);
  assert.ok(row.timeMs < 3000);
});

test('fetch: a retry the total deadline would cut short is not made', async () => {
  const started = Date.now();
  const row = await one('/status/503?retryAfter=30', { timeout: 2000, maxRetryDelay: 60_000 });
  assert.equal(row.status, 503);
  assert.equal(row.attempts, 1);
  assert.equal(row.error!.code, 'http');
  assert.ok(Date.now() - started < 1500);
});

test('fetch: a reset is retried (reset-once recovers); a persistent reset is reset', async () => {
  const recovered = await one(`/reset-once?key=${uniqueKey()}`);
  assert.equal(recovered.ok, true);
  assert.equal(recovered.title, 'Recovered');
  assert.equal(recovered.attempts, 2);
  const reset = await one('/reset', { retryDelay: 10 });
  assert.equal(reset.ok, false);
  assert.equal(reset.error!.code, 'reset');
  assert.equal(reset.attempts, 3);
  assert.equal(reset.status, 0);
});

test('fetch: /hang times out within the deadline plus a margin', async () => {
  const started = Date.now();
  const row = await one('/hang', { timeout: 500 });
  const elapsed = Date.now() - started;
  assert.equal(row.ok, false);
  assert.deepEqual(row.error, { code: 'timeout', message: 'timed out after 500 ms waiting for response headers' });
  assert.ok(elapsed >= 450 && elapsed < 2500, `took ${elapsed} ms`);
  assert.equal(row.attempts, 1); // timeouts are not retried
});

test('fetch: a headers deadline of its own', async () => {
  const row = await one('/hang', { timeout: { headers: 300, total: 5000 } });
  assert.equal(row.error!.code, 'timeout');
  assert.match(row.error!.message, /^timed out after 300 ms waiting for response headers$/);
});

test('fetch: /hang-body times out reading the body; the status is kept', async () => {
  const row = await one('/hang-body', { timeout: 500 });
  assert.equal(row.status, 200);
  assert.equal(row.error!.code, 'timeout');
  assert.match(row.error!.message, /reading the body|more of the body/);
});

test('fetch: /slow-body: a title at the end of a trickling body', async () => {
  const row = await one('/slow-body?chunks=5&ms=30');
  assert.equal(row.ok, true);
  assert.equal(row.title, 'Slow body');
});

test('fetch: binary and garbage bodies: ok, title null', async () => {
  const [binary, html] = await fetchAll([url('/garbage'), url('/garbage-html')]);
  assert.equal(binary!.ok, true);
  assert.equal(binary!.title, null);
  assert.equal(binary!.bytes, 0); // not HTML: not read at all
  assert.equal(html!.ok, true);
  assert.equal(html!.title, null);
});

test('fetch: invalid URLs, other schemes and non-strings are rows, not exceptions', async () => {
  const rows = await fetchAll(['not a url', 'ftp://example.test.invalid/file', '', 'mailto:a@b.invalid', 42 as never]);
  assert.deepEqual(
    rows.map((r) => r.error!.code),
    ['invalid_url', 'unsupported_scheme', 'invalid_url', 'unsupported_scheme', 'invalid_url'],
  );
  for (const row of rows) {
    assert.equal(row.ok, false);
    assert.equal(row.status, 0);
    assert.equal(row.attempts, 0);
  }
  assert.equal(rows[0]!.url, 'not a url');
  assert.equal(rows[4]!.url, '42');
});

test('fetch: connection refused', async () => {
  const port = await refusedPort();
  const row = await one(`http://127.0.0.1:${port}/`);
  assert.deepEqual(row.error, { code: 'refused', message: `connection refused by 127.0.0.1:${port}` });
  assert.equal(row.attempts, 1); // refused is not transient
});

test('fetch: a name that does not resolve is dns (injected lookup, no real query)', async () => {
  const lookup = testLookup();
  const row = await one('http://nonexistent.invalid/', { lookup });
  assert.deepEqual(row.error, { code: 'dns', message: 'no such host: nonexistent.invalid' });
  assert.deepEqual(lookup.calls, ['nonexistent.invalid']);
});

test('fetch: TLS to a plain-HTTP port is tls', async () => {
  const row = await one(url('/html').replace('http:', 'https:'), { timeout: 3000 });
  assert.equal(row.error!.code, 'tls');
});

test('fetch: one DNS query per host per run', async () => {
  const lookup = testLookup();
  const port = server.port;
  const urls = ['a', 'b'].flatMap((host) => Array.from({ length: 8 }, (_, i) => `http://${host}.test.invalid:${port}/delay/${50 + i}`));
  const rows = await fetchAll(urls, { lookup, concurrency: 16 });
  assert.ok(rows.every((r) => r.ok));
  assert.deepEqual([...lookup.calls].sort(), ['a.test.invalid', 'b.test.invalid']);
  // A new run asks again.
  await fetchAll([`http://a.test.invalid:${port}/html`], { lookup });
  assert.equal(lookup.calls.length, 3);
});

test('fetch: global concurrency as measured by the server', async () => {
  server.resetStats();
  const rows = await fetchAll(Array.from({ length: 30 }, (_, i) => url(`/delay/${40 + (i % 3) * 10}`)), { concurrency: 5 });
  assert.ok(rows.every((r) => r.ok));
  const { maxInFlight } = server.stats();
  assert.ok(maxInFlight <= 5, `maxInFlight ${maxInFlight}`);
  assert.ok(maxInFlight >= 3, `maxInFlight ${maxInFlight}: the limit should be used`);
});

test('fetch: perHost limits each host; hosts add up', async () => {
  const port = server.port;
  const urls = ['a', 'b'].flatMap((host) => Array.from({ length: 10 }, () => `http://${host}.test.invalid:${port}/delay/60`));
  server.resetStats();
  const rows = await fetchAll(urls, { concurrency: 16, perHost: 2, lookup: testLookup() });
  assert.ok(rows.every((r) => r.ok));
  const { maxInFlight } = server.stats();
  assert.ok(maxInFlight <= 4, `maxInFlight ${maxInFlight}`);
  assert.ok(maxInFlight >= 3, `maxInFlight ${maxInFlight}`);

  server.resetStats();
  await fetchAll(urls.slice(0, 10), { concurrency: 16, perHost: 3, lookup: testLookup() });
  assert.ok(server.stats().maxInFlight <= 3);
});

test('fetch: streaming yields rows in input order as soon as they are ready', async () => {
  const started = Date.now();
  const seen: [string | null, number][] = [];
  for await (const row of fetchAll([url('/delay/0'), url('/delay/10'), url('/delay/1200')])) {
    seen.push([row.title, Date.now() - started]);
  }
  assert.deepEqual(seen.map(([t]) => t), ['Delayed 0 ms', 'Delayed 10 ms', 'Delayed 1200 ms']);
  assert.ok(seen[0]![1] < 900, `first row after ${seen[0]![1]} ms`);
  assert.ok(seen[2]![1] >= 1100);
});

test('fetch: async iterable input', async () => {
  async function* source(): AsyncGenerator<string> {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield url(`/page/${i}`);
    }
  }
  const rows = await fetchAll(source(), { concurrency: 2 });
  assert.deepEqual(rows.map((r) => r.title), ['Page 0', 'Page 1', 'Page 2', 'Page 3', 'Page 4']);
});

test('scrape: the same rows for pages', async () => {
  const rows = await scrape([url('/html'), url('/page/1'), url('/status/404')], { concurrency: 5 });
  assert.deepEqual(rows.map((r) => [r.status, r.title]), [
    [200, 'Herman Melville - Moby-Dick'],
    [200, 'Page 1'],
    [404, '404 Not Found'],
  ]);
});

test('fetchOne: one URL to one row', async () => {
  const row = await fetchOne(url('/page/9'));
  assert.equal(row.title, 'Page 9');
  const json = await fetchOne(url('/users/torvalds'), { json: true });
  assert.equal((json.json as { name: string }).name, 'Linus Torvalds');
});

test('fetch: the connect deadline covers a lookup that never answers', async () => {
  const started = Date.now();
  const row = await one('http://blackhole.test.invalid/', {
    lookup: () => {}, // never calls back
    timeout: { connect: 300, total: 5000 },
  });
  assert.deepEqual(row.error, { code: 'timeout', message: 'timed out after 300 ms connecting to blackhole.test.invalid:80' });
  assert.ok(Date.now() - started < 2500);
});

test('fetch: JSON mode counts maxBytes too', async () => {
  const row = await one('/users/octocat', { json: true, maxBytes: 10 });
  assert.equal(row.error!.code, 'too_large');
  assert.equal(row.bytes, 10);
  assert.equal(row.json, undefined);
});

test('a URL with a control character in it (NUL, ESC) is invalid_url, not silently cleaned up', async () => {
  const rows = await fetchAll(['\u0000http://a.invalid/', 'http://a.invalid/x\u001b[31m'], { retries: 0 });
  for (const row of rows) {
    assert.equal(row.error?.code, 'invalid_url');
    assert.match(row.error?.message ?? '', /control character U\+00(00|1B)/);
  }
});
