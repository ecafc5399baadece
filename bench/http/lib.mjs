// Shared by the Node HTTP clients: arguments, the URL list, the title regex of the hand-written
// peers, the checks, and the one JSON line a client prints.
// `node bench/http/<client>.mjs --urls FILE [--concurrency 64]`
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** What the hand-written peers use to find the title (the seed does the same with str.find). */
export const TITLE = /<title>([^<]*)<\/title>/i;

export function options() {
  const { values } = parseArgs({
    options: {
      urls: { type: 'string' },
      concurrency: { type: 'string', default: '64' },
    },
  });
  const concurrency = Number(values.concurrency);
  if (!values.urls || !Number.isSafeInteger(concurrency) || concurrency < 1) {
    fail(`usage: --urls FILE [--concurrency C], got ${JSON.stringify(values)}`);
  }
  return { urls: readUrls(values.urls), concurrency };
}

export function readUrls(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The title the fixture puts on `/page/:id`: `Page {id}`. */
export function expectedTitle(url) {
  const id = new URL(url).pathname.split('/')[2];
  return `Page ${decodeURIComponent(id)}`;
}

/** Every row answered 200 with the page's own title, in input order. Returns the failure or undefined. */
export function checkRows(urls, rows) {
  if (!Array.isArray(rows) || rows.length !== urls.length) return `expected ${urls.length} rows, got ${rows?.length}`;
  for (let i = 0; i < urls.length; i++) {
    const row = rows[i];
    if (row.url !== urls[i]) return `row ${i} is for ${row.url}, expected ${urls[i]} (order)`;
    if (row.status !== 200) return `row ${i} (${row.url}) has status ${row.status}${row.error ? `: ${JSON.stringify(row.error)}` : ''}`;
    if (row.title !== expectedTitle(urls[i])) return `row ${i} (${row.url}) has title ${JSON.stringify(row.title)}`;
  }
  return undefined;
}

export function fail(message) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
  process.exit(1);
}

/** A row this benchmark cannot run here (a tool missing, a module not built): not a failure. */
export function skip(reason) {
  process.stdout.write(`${JSON.stringify({ ok: true, skipped: reason })}\n`);
  process.exit(0);
}

/** Exits with `skip` unless the built file exists (parts of dist/ are still being written). */
export function requireBuilt(relative) {
  if (!existsSync(new URL(`../../${relative}`, import.meta.url))) skip(`not built yet (${relative} missing)`);
}

/** Runs `body` (returns the rows), checks them, prints the result line. */
export async function run(peer, body) {
  const opts = options();
  const started = performance.now();
  let rows;
  try {
    rows = await body(opts);
  } catch (error) {
    fail(`${peer} threw: ${error?.stack ?? error}`);
  }
  const workMs = performance.now() - started;
  const wrong = checkRows(opts.urls, rows);
  if (wrong) fail(wrong);
  const line = {
    ok: true,
    peer,
    n: opts.urls.length,
    concurrency: opts.concurrency,
    verified: true,
    workMs: Math.round(workMs * 100) / 100,
    wallMs: Math.round(performance.now() * 100) / 100,
    rpsInProcess: Math.round((opts.urls.length / workMs) * 1000),
    maxRssKB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.exit(0);
}

/** The hand-written peer's whole job for one URL: undici request, the whole body, title by regex. */
export async function undiciTitle(request, url) {
  const { statusCode, body } = await request(url);
  const html = await body.text();
  return { url, status: statusCode, title: TITLE.exec(html)?.[1].trim() ?? null };
}
