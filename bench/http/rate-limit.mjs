// `gather fetch --rate R` over N URLs, with the request start times taken at the server (a loopback
// server in this process). Prints the span from the first start to the last plus one spacing (what
// N starts at R per second take: N / R seconds) and the most starts any 1-second window held; fails
// when that is more than R + 1. `--mode ideal` prints N / R without fetching: the reference.
// `node bench/http/rate-limit.mjs --n 1000 --rate 100 [--mode gather|ideal]`
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fail, requireBuilt } from './lib.mjs';

const { values } = parseArgs({ options: { n: { type: 'string' }, rate: { type: 'string' }, mode: { type: 'string', default: 'gather' } } });
const n = Number(values.n);
const rate = Number(values.rate);
if (!(n > 1) || !(rate > 0)) fail(`usage: --n N --rate R [--mode gather|ideal], got ${JSON.stringify(values)}`);

const print = (line) => {
  process.stdout.write(`${JSON.stringify({ ok: true, verified: true, n, rate, ...line })}\n`);
  process.exit(0);
};

if (values.mode === 'ideal') print({ workMs: (n / rate) * 1000 });

requireBuilt('dist/cli/main.js');
const starts = [];
const server = createServer((req, res) => {
  starts.push(performance.now());
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>${req.url}</title>`);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const dir = mkdtempSync(join(tmpdir(), 'gather-rate-'));
const urlFile = join(dir, 'urls.txt');
writeFileSync(urlFile, Array.from({ length: n }, (_, i) => `${base}/${i}`).join('\n') + '\n');

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const began = performance.now();
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [main, 'fetch', urlFile, '--rate', String(rate), '--no-proxy', '-q', '-f', 'jsonl', '-o', join(dir, 'rows.jsonl')], { stdio: 'ignore' });
  child.on('close', (status) => resolve(status));
});
const cliMs = performance.now() - began;
server.close();
rmSync(dir, { recursive: true, force: true });
if (code !== 0) fail(`the CLI exited ${code}`);
if (starts.length !== n) fail(`the server saw ${starts.length} requests, expected ${n}`);

let maxWindow = 0;
let first = 0;
for (let last = 0; last < starts.length; last++) {
  while (starts[last] - starts[first] > 1000) first++;
  maxWindow = Math.max(maxWindow, last - first + 1);
}
if (maxWindow > Math.floor(rate) + 1) fail(`${maxWindow} requests started within one second, more than rate + 1 = ${Math.floor(rate) + 1}`);
print({ workMs: starts.at(-1) - starts[0] + 1000 / rate, maxWindow, cliMs: Math.round(cliMs) });
