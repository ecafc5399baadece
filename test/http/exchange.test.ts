// The dispatch-handler pipeline: the response head we decode ourselves, the one timer per URL that
// serves both deadlines, letting bodies go (drained or cut), and the title extractors we reuse.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { readHead } from '../../src/http/exchange.js';
import { fetchAll } from '../../src/http/index.js';
import { releaseTitleExtractor, takeTitleExtractor } from '../../src/http/title.js';

let server: FixtureServer;
const url = (path: string): string => `${server.url}${path}`;

before(async () => {
  server = await startFixtureServer({ port: 0 });
});

after(async () => {
  await server.close();
});

const raw = (...pairs: string[]): Buffer[] => pairs.map((p) => Buffer.from(p, 'latin1'));

test('readHead: the five headers we read, any case; others ignored', () => {
  const head = readHead(
    200,
    'OK',
    raw('Content-Type', 'text/html; charset=utf-8', 'DATE', 'x', 'content-LENGTH', '12', 'Location', '/next', 'Retry-After', '3', 'Content-Encoding', 'gzip'),
  );
  assert.deepEqual(head, {
    status: 200,
    statusText: 'OK',
    contentType: 'text/html; charset=utf-8',
    contentEncoding: 'gzip',
    contentLength: '12',
    location: '/next',
    retryAfter: '3',
  });
  const none = readHead(204, '', raw('X-Content-Type', 'a', 'Content-Typf', 'b'));
  assert.equal(none.contentType, undefined);
  assert.equal(none.contentLength, undefined);
});

test('readHead: a repeated header becomes a list in order (as undici parseHeaders); text names work too', () => {
  const head = readHead(200, 'OK', raw('content-encoding', 'gzip', 'Content-Encoding', 'br', 'content-encoding', ''));
  assert.deepEqual(head.contentEncoding, ['gzip', 'br', '']);
  assert.equal(readHead(200, 'OK', ['Location', '/a']).location, '/a');
  // Header values are latin1, byte for byte.
  assert.equal(readHead(200, 'OK', [Buffer.from('location'), Buffer.from([0x2f, 0xe9])]).location, '/\u00e9');
});

test('deadlines: the headers deadline of a request after a redirect is its own, to the millisecond', async () => {
  // The first request is answered at once; the timer armed for its headers deadline then fires
  // for nothing and must re-arm for the second request's.
  const started = performance.now();
  const [row] = await fetchAll([url(`/redirect-to?url=${encodeURIComponent(url('/hang'))}`)], { timeout: { headers: 300, total: 5000 } });
  const elapsed = performance.now() - started;
  assert.equal(row!.redirects, 1);
  assert.deepEqual(row!.error, { code: 'timeout', message: 'timed out after 300 ms waiting for response headers' });
  assert.ok(row!.timeMs >= 299 && row!.timeMs < 700, `${row!.timeMs} ms`);
  assert.ok(elapsed < 1500);
});

test('deadlines: the total deadline cuts a slow body, and names the phase', async () => {
  const [row] = await fetchAll([url('/slow-body?chunks=50&ms=40')], { timeout: { headers: 5000, total: 300 } });
  assert.deepEqual(row!.error, { code: 'timeout', message: 'timed out after 300 ms reading the body' });
  assert.equal(row!.status, 200);
  assert.ok(row!.timeMs >= 299 && row!.timeMs < 800, `${row!.timeMs} ms`);
});

test('deadlines: a retry wait counts against the total; Infinity turns both deadlines off', async () => {
  const [slow] = await fetchAll([url('/delay/150')], { timeout: { headers: Infinity, total: Infinity } });
  assert.equal(slow!.ok, true);
  assert.equal(slow!.title, 'Delayed 150 ms');
});

test('bodies: a big remainder is cut and a small one drained, and both rows are right', async () => {
  let connections = 0;
  const big = Buffer.from(`<title>Big</title>${'x'.repeat(300 * 1024)}`);
  const small = Buffer.from(`<title>Small</title>${'x'.repeat(1024)}`);
  const local: Server = createServer((req, res) => {
    const body = req.url === '/big' ? big : small;
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length });
    res.write(body.subarray(0, 100));
    setTimeout(() => res.end(body.subarray(100)), 5);
  });
  local.on('connection', () => connections++);
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(local.address() as { port: number }).port}`;
  try {
    const smallRows = await fetchAll(Array.from({ length: 10 }, () => `${base}/small`), { concurrency: 1 });
    assert.ok(smallRows.every((r) => r.ok && r.title === 'Small'));
    assert.equal(connections, 1, 'a small remainder is drained: one connection for all');
    connections = 0;
    const bigRows = await fetchAll(Array.from({ length: 3 }, () => `${base}/big`), { concurrency: 1 });
    assert.ok(bigRows.every((r) => r.ok && r.title === 'Big' && r.bytes < big.length));
    // At least one each (undici's Agent may open a spare when a request is queued on a socket it is closing).
    assert.ok(connections >= 3, `a big remainder is cut: a connection each, got ${connections}`);
  } finally {
    await new Promise<void>((resolve) => local.close(() => resolve()));
  }
});

test('bodies: a 1xx informational answer is skipped; the final answer counts', async () => {
  const local: Server = createServer((_req, res) => {
    res.writeProcessing();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>After 102</title>');
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  try {
    const [row] = await fetchAll([`http://127.0.0.1:${(local.address() as { port: number }).port}/`]);
    assert.equal(row!.status, 200);
    assert.equal(row!.title, 'After 102');
  } finally {
    await new Promise<void>((resolve) => local.close(() => resolve()));
  }
});

test('title extractors: a reused one starts clean, whatever the last document left behind', () => {
  const first = takeTitleExtractor('windows-1251');
  // Stopped mid-chunk, inside an SVG, with a character cut in half: none of it may leak.
  first.write(Buffer.concat([Buffer.from('<svg><title>icon</title>'), Buffer.from('<title>'), Buffer.from([0xcf])]));
  releaseTitleExtractor(first);
  const second = takeTitleExtractor('utf-8');
  assert.equal(second, first, 'the pool hands the same extractor back');
  assert.equal(second.write(Buffer.from('<title>Fresh</title>')), true);
  assert.equal(second.title, 'Fresh');
  assert.equal(second.encoding, 'utf-8');
  releaseTitleExtractor(second);
  const third = takeTitleExtractor(undefined);
  third.write(Buffer.from([0xef, 0xbb]));
  third.write(Buffer.from([0xbf]));
  third.write(Buffer.from('<title>Caf\u00e9</title>'));
  third.end();
  assert.equal(third.title, 'Café');
  releaseTitleExtractor(third);
  releaseTitleExtractor(third); // twice is harmless
  assert.notEqual(takeTitleExtractor(undefined), takeTitleExtractor(undefined));
});
