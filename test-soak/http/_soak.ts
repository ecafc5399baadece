// Shared by the fetch soak tests: `gather fetch` (the built CLI) fed a URL stream on stdin with
// backpressure, writing JSONL to a file, with its peak RSS sampled from /proc.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface SoakOptions {
  /** Where the JSONL goes. */
  dir: string;
  /** The URL of line `i` (it must end with `?n=${i}` or `&n=${i}`: the order check reads it). */
  urlOf(i: number): string;
  /** Extra flags for `gather fetch`. */
  flags?: string[];
}

export interface SoakRun {
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

/** Runs `gather fetch` over `count` URLs and reads its output back. */
export async function soak(count: number, options: SoakOptions): Promise<SoakRun> {
  const output = join(options.dir, `rows-${count}-${Date.now()}.jsonl`);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'fetch', '-', '--concurrency', '64', '--format', 'jsonl', '--output', output, '--quiet', ...(options.flags ?? [])], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  let peak = 0;
  const poll = setInterval(() => void peakRss(child.pid ?? 0).then((mb) => (peak = Math.max(peak, mb))), 200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // feed the URLs with backpressure: the stream is never held in memory on either side
  for (let i = 0; i < count; i++) {
    if (!child.stdin.write(`${options.urlOf(i)}\n`)) await new Promise((r) => child.stdin.once('drain', r));
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
    if (!row.url.endsWith(`n=${rows}`)) inOrder = false;
    rows++;
    if (row.ok) okRows++;
  }
  return { code, peakRssMb: Math.round(peak), seconds: Math.round(seconds * 10) / 10, rows, okRows, inOrder };
}

