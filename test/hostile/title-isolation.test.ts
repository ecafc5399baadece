// Issue 9, items 1 and 2: nothing about one URL may change another URL's row (pooled title
// extractors once carried a page's <script>/<style>/<title> state into the next page), and the
// title parser's work per page is linear and bounded (300,000 unclosed tags once held the event
// loop for 20 s).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { fetchAll } from '../../src/http/index.js';
import { TITLE_SCAN_BYTES } from '../../src/http/readers.js';

const HTML = { 'content-type': 'text/html; charset=utf-8' };
const BROKEN: Record<string, string> = {
  script: '<!doctype html><html><head><script>var s = "</scr',
  style: '<!doctype html><html><head><style>body { color: red',
  title: `<!doctype html><html><head><title>${'runaway '.repeat(4000)}`,
};
const DEEP = Buffer.from(`<html><body>${'<div>'.repeat(300_000)}</body></html>`);
// A 20 MiB page without a title, gzipped to a few KB.
const BOMB = gzipSync(Buffer.alloc(20 * 1024 * 1024, '<p>a</p>'), { level: 9 });

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    const [, kind, id] = (req.url ?? '').split('/');
    if (kind === 'good') return res.writeHead(200, HTML).end(`<!doctype html><html><head><meta charset="utf-8"><title>Good ${id}</title></head><body><p>${'x'.repeat(2000)}`);
    if (kind === 'bomb') return res.writeHead(200, { ...HTML, 'content-encoding': 'gzip' }).end(BOMB);
    if (kind === 'deep') return res.writeHead(200, HTML).end(DEEP);
    if (kind === 'fast') return setTimeout(() => res.writeHead(200, HTML).end('<title>Fast</title>'), 30);
    res.writeHead(200, HTML).end(BROKEN[kind!] ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('isolation: 16 pages ending inside <script>, <style> or a runaway <title>, then 200 good pages: every title right', async () => {
  const kinds = Object.keys(BROKEN);
  const broken = Array.from({ length: 16 }, (_, i) => `${base}/${kinds[i % kinds.length]}/${i}`);
  const good = Array.from({ length: 200 }, (_, i) => `${base}/good/${i}`);
  const rows = await fetchAll([...broken, ...good]);
  for (const row of rows.slice(16)) assert.equal(row.error, null, row.url);
  assert.deepEqual(
    rows.slice(16).map((r) => r.title),
    good.map((_, i) => `Good ${i}`),
  );
});

test('isolation: a gzip bomb fetched after a broken page is too_large, not cut short as ok', async () => {
  const rows = await fetchAll([`${base}/script/1`, `${base}/style/2`, `${base}/title/3`, `${base}/bomb`], { concurrency: 1 });
  const bomb = rows[3]!;
  assert.equal(bomb.error?.code, 'too_large');
  assert.equal(bomb.bytes, 10 * 1024 * 1024);
});

test('bounded: 1.5 MB of 300,000 unclosed nested tags is fast, and a URL fetched alongside is not a timeout', async () => {
  const started = performance.now();
  const rows = await fetchAll([`${base}/deep`, `${base}/fast`], { timeout: 3000 });
  const elapsed = performance.now() - started;
  assert.equal(rows[1]!.error, null);
  assert.equal(rows[1]!.title, 'Fast');
  // No title in the bytes examined: title null; the rest is read without parsing.
  assert.equal(rows[0]!.error, null);
  assert.equal(rows[0]!.title, null);
  assert.equal(rows[0]!.bytes, DEEP.length);
  assert.ok(elapsed < 2500, `took ${Math.round(elapsed)} ms (was 20 s before the parser's work was bounded)`);
});

test('bounded: a title after TITLE_SCAN_BYTES is not looked for; one before it is found', async () => {
  const late = `<html><body>${'x'.repeat(TITLE_SCAN_BYTES)}<title>Late</title>`;
  const early = `<html><body>${'x'.repeat(TITLE_SCAN_BYTES - 100)}<title>Early</title>${'y'.repeat(5000)}`;
  const local = createServer((req, res) => res.writeHead(200, HTML).end(req.url === '/late' ? late : early));
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  try {
    const at = `http://127.0.0.1:${(local.address() as { port: number }).port}`;
    const [lateRow, earlyRow] = await fetchAll([`${at}/late`, `${at}/early`]);
    assert.equal(lateRow!.title, null);
    assert.equal(lateRow!.ok, true);
    assert.equal(earlyRow!.title, 'Early');
  } finally {
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
  }
});
