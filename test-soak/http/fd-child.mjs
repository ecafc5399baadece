// Child of fd-starvation.test.ts, run under `ulimit -n <limit>`: fetches COUNT pages at
// CONCURRENCY through the built library (dist/, so nothing is compiled or loaded mid-run) and
// prints one JSON line: rows by error code, seconds, and the soft descriptor limit it saw.
import { fetchAll } from '../../dist/http/index.js';

import { openSync, closeSync } from 'node:fs';

const [base, count, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
// Optionally hold HOLD descriptors for the first HOLD_MS of the run: the run then meets EMFILE.
const [hold, holdMs] = [Number(process.argv[5] ?? 0), Number(process.argv[6] ?? 0)];
const held = [];
for (let i = 0; i < hold; i++) held.push(openSync('/dev/null', 'r'));
if (hold > 0) setTimeout(() => held.splice(0).forEach((fd) => closeSync(fd)), holdMs);
const urls = Array.from({ length: count }, (_, i) => `${base}/page/${i}`);
const started = performance.now();
const codes = {};
let titles = 0;
let attempts = 0;
for await (const row of fetchAll(urls, { concurrency, timeout: { connect: 30_000, headers: 60_000, total: 120_000 } })) {
  const code = row.error?.code ?? 'ok';
  codes[code] = (codes[code] ?? 0) + 1;
  if (row.title === `Page ${row.url.slice(row.url.lastIndexOf('/') + 1)}`) titles++;
  attempts += row.attempts;
  if (row.error && codes[code] <= 3) process.stderr.write(`${row.url}: ${row.error.code} ${row.error.message}\n`);
}
const limit = /^Max open files\s+(\S+)/m.exec(await (await import('node:fs/promises')).readFile('/proc/self/limits', 'latin1'))?.[1];
console.log(JSON.stringify({ codes, titles, attempts, seconds: (performance.now() - started) / 1000, limit }));
