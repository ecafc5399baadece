import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Agent } from 'undici';
import { CancelledError } from '../../src/core/index.js';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { fetchAll, fetchOne, type FetchRow } from '../../src/http/index.js';
import { resources, settleTo } from './helpers.js';

let server: FixtureServer;
let echo: Server;
let echoBase: string;
const url = (path: string): string => `${server.url}${path}`;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startFixtureServer({ port: 0 });
  // Answers with its request headers in the title; /same redirects within its own origin.
  echo = createServer((req, res) => {
    if (req.url === '/same') {
      res.writeHead(302, { location: '/' });
      res.end();
      return;
    }
    const title = `ua=${req.headers['user-agent']} auth=${req.headers.authorization ?? '-'} x=${req.headers['x-extra'] ?? '-'}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<title>${title}</title>`);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoBase = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
});

after(async () => {
  await server.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});

test('lifecycle: no socket or timer is left after a run', async () => {
  const baseline = resources();
  const rows = await fetchAll(
    [url('/html'), url('/gzip'), url(`/big/${2 * 1024 * 1024}`), url('/hang'), url('/hang-body'), url('/garbage'), url('/reset')],
    { timeout: 400, retryDelay: 5 },
  );
  assert.equal(rows.length, 7);
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: a cancelled run rejects with CancelledError promptly and leaves nothing behind', async () => {
  const baseline = resources();
  const controller = new AbortController();
  const started = Date.now();
  setTimeout(() => controller.abort('user pressed Ctrl-C'), 200);
  await assert.rejects(
    Promise.resolve(fetchAll([url('/html'), url('/hang'), url('/delay/5000'), url('/hang-body')], { signal: controller.signal })),
    (error: unknown) => error instanceof CancelledError && error.reason === 'user pressed Ctrl-C',
  );
  assert.ok(Date.now() - started < 1500, 'cancelled promptly');
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: a cancelled stream yields a row for every started URL (aborted ones marked), then throws CancelledError', async () => {
  const baseline = resources();
  const controller = new AbortController();
  const seen: string[] = [];
  setTimeout(() => controller.abort(), 300);
  await assert.rejects(async () => {
    for await (const row of fetchAll([url('/page/1'), url('/page/2'), url('/hang'), url('/page/3')], { signal: controller.signal })) {
      seen.push(row.title ?? row.error?.code ?? '?');
    }
  }, CancelledError);
  assert.deepEqual(seen, ['Page 1', 'Page 2', 'aborted', 'Page 3']);
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: leaving a stream early stops the rest and closes the agent', async () => {
  const baseline = resources();
  const rows: FetchRow[] = [];
  const started = Date.now();
  for await (const row of fetchAll([url('/page/1'), url('/hang'), url('/delay/4000')])) {
    rows.push(row);
    break;
  }
  assert.equal(rows[0]!.title, 'Page 1');
  assert.ok(Date.now() - started < 1500);
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: run.cancel() cancels', async () => {
  const baseline = resources();
  const run = fetchAll([url('/hang')]);
  const settled = Promise.resolve(run).then(
    () => 'resolved',
    (error: unknown) => error,
  );
  setTimeout(() => run.cancel('enough'), 100);
  const outcome = await settled;
  assert.ok(outcome instanceof CancelledError);
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: an already aborted signal rejects without a request', async () => {
  server.resetStats();
  await assert.rejects(Promise.resolve(fetchAll([url('/html')], { signal: AbortSignal.abort() })), CancelledError);
  assert.equal(server.stats().requests, 0);
});

test('lifecycle: fetchOne reports cancellation as an aborted row', async () => {
  const baseline = resources();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const row = await fetchOne(url('/hang'), { signal: controller.signal });
  assert.equal(row.ok, false);
  assert.equal(row.error!.code, 'aborted');
  assert.match(row.error!.message, /^cancelled waiting for response headers$/);
  const before = await fetchOne(url('/html'), { signal: AbortSignal.abort() });
  assert.equal(before.error!.code, 'aborted');
  assert.deepEqual(await settleTo(baseline), baseline);
});

test('lifecycle: a run that is never consumed makes no request', async () => {
  server.resetStats();
  fetchAll([url('/html')]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.stats().requests, 0);
});

test('lifecycle: a caller\'s own dispatcher is used and left open', async () => {
  const agent = new Agent({ connections: 2 });
  try {
    const rows = await fetchAll([url('/page/1'), url('/page/2')], { dispatcher: agent });
    assert.deepEqual(rows.map((r) => r.title), ['Page 1', 'Page 2']);
    assert.equal(agent.closed, false);
    const again = await fetchAll([url('/page/3')], { dispatcher: agent });
    assert.equal(again[0]!.title, 'Page 3');
  } finally {
    await agent.close();
  }
});

test('headers: defaults and caller headers are sent; credentials do not follow a redirect to another origin', async () => {
  const headers = { authorization: 'Bearer secret', 'X-Extra': 'yes' };
  const [direct, sameOrigin, crossOrigin] = await fetchAll(
    [`${echoBase}/`, `${echoBase}/same`, url(`/redirect-to?url=${encodeURIComponent(`${echoBase}/`)}`)],
    { headers },
  );
  assert.match(direct!.title!, /^ua=gather\/\d+\.\d+\.\d+ .* auth=Bearer secret x=yes$/);
  assert.match(sameOrigin!.title!, / auth=Bearer secret x=yes$/);
  assert.equal(sameOrigin!.redirects, 1);
  assert.match(crossOrigin!.title!, / auth=- x=yes$/);
  assert.equal(crossOrigin!.redirects, 1);
  const custom = await fetchAll([`${echoBase}/`], { headers: { 'user-agent': 'me/1.0' } });
  assert.match(custom[0]!.title!, /^ua=me\/1\.0 /);
});

test('keep-alive: connections are reused after an early stop (identity, gzip, chunked)', async () => {
  const { gzipSync } = await import('node:zlib');
  // 40 KB, sent in two parts: the title arrives before the rest, so reading stops with the tail
  // still on the wire (a body fully received is reusable whatever we do).
  const page = Buffer.from(`<html><head><title>Kept</title></head><body>${'<p>filler</p>'.repeat(3000)}</body></html>`);
  const gzipped = gzipSync(page, { level: 0 });
  const sendInTwo = (res: import('node:http').ServerResponse, body: Buffer): void => {
    res.write(body.subarray(0, 200));
    setTimeout(() => res.end(body.subarray(200)), 5);
  };
  let connections = 0;
  const local = createServer((req, res) => {
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': gzipped.length });
      sendInTwo(res, gzipped);
    } else if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/html' }); // no Content-Length: chunked
      sendInTwo(res, page);
    } else {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': page.length });
      sendInTwo(res, page);
    }
  });
  local.on('connection', () => connections++);
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const localBase = `http://127.0.0.1:${(local.address() as { port: number }).port}`;
  try {
    for (const path of ['/plain', '/gzip', '/chunked']) {
      connections = 0;
      const rows = await fetchAll(Array.from({ length: 40 }, () => `${localBase}${path}`), { concurrency: 4 });
      assert.ok(rows.every((r) => r.title === 'Kept'), path);
      assert.ok(connections <= 8, `${path}: ${connections} connections for 40 requests`);
    }
  } finally {
    await new Promise<void>((resolve) => local.close(() => resolve()));
  }
});
