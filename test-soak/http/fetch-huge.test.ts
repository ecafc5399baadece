// Soak: `gather fetch` reading a 1,000,000-line URL stream from stdin against the fixture server
// (in its own process) and writing JSONL to a file. Peak RSS must stay flat: the 1M run may not use
// meaningfully more memory than the 100k run. Run with `npm run test:soak`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startFixtureProcess, type FixtureProcess } from '../../test/reliability/fixture-process.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
let server: FixtureProcess;
let dir: string;

before(async () => {
  server = await startFixtureProcess();
  dir = await mkdtemp(join(tmpdir(), 'gather-soak-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface SoakRun {
  code: number | null;
  peakRssMb: number;
  seconds: number;
  rows: number;
  okRows: number;
  inOrder: boolean;
}

/** Peak resident memory of `pid` so far (VmHWM), in MB. */
async function peakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function soak(count: number): Promise<SoakRun> {
  const output = join(dir, `rows-${count}.jsonl`);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'fetch', '-', '--concurrency', '64', '--format', 'jsonl', '--output', output, '--quiet'], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  let peak = 0;
  const poll = setInterval(() => void peakRss(child.pid ?? 0).then((mb) => (peak = Math.max(peak, mb))), 200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // feed the URLs with backpressure: the stream is never held in memory on either side
  for (let i = 0; i < count; i++) {
    if (!child.stdin.write(`${server.url}/page/${i % 20_000}?n=${i}\n`)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await exited;
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  let rows = 0;
  let okRows = 0;
  let inOrder = true;
  for await (const line of createInterface({ input: createReadStream(output) })) {
    const row = JSON.parse(line) as { url: string; ok: boolean };
    if (!row.url.endsWith(`?n=${rows}`)) inOrder = false;
    rows++;
    if (row.ok) okRows++;
  }
  return { code, peakRssMb: Math.round(peak), seconds: Math.round(seconds * 10) / 10, rows, okRows, inOrder };
}

describe('soak: a million URLs through gather fetch at flat memory', () => {
  it('100k and 1M lines from stdin: every row written in order, peak RSS flat', { timeout: 30 * 60_000 }, async () => {
    const small = await soak(100_000);
    const large = await soak(1_000_000);
    console.log(`fetch soak: 100k ${JSON.stringify(small)}`);
    console.log(`fetch soak: 1M ${JSON.stringify(large)}`);
    for (const [run, count] of [[small, 100_000], [large, 1_000_000]] as const) {
      assert.equal(run.code, 0);
      assert.equal(run.rows, count);
      assert.equal(run.okRows, count);
      assert.ok(run.inOrder);
    }
    assert.ok(large.peakRssMb <= small.peakRssMb * 1.25 + 16, `peak RSS 100k ${small.peakRssMb} MB, 1M ${large.peakRssMb} MB`);
  });
});
