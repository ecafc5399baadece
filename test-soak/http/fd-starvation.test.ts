// Soak (issue 9 item 4): out of file descriptors. Under `ulimit -n 1024`, 20,000 URLs asked at
// concurrency 2,000 must all be ok: concurrency is kept under the descriptor limit, modules are
// loaded before the run, and EMFILE waits for a descriptor rather than failing the URL. Also
// 50,000 URLs at concurrency 256. The fixture server runs in its own process (its own limit).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startFixtureProcess, type FixtureProcess } from '../../test/reliability/fixture-process.js';

const CHILD = fileURLToPath(new URL('./fd-child.mjs', import.meta.url));
let server: FixtureProcess;

before(async () => {
  server = await startFixtureProcess();
});
after(() => server.close());

interface ChildResult {
  codes: Record<string, number>;
  titles: number;
  attempts: number;
  seconds: number;
  limit: string;
}

function runChild(ulimit: number, count: number, concurrency: number, hold = 0, holdMs = 0): Promise<ChildResult> {
  const script = `ulimit -n ${ulimit} && exec "${process.execPath}" "${CHILD}" "${server.url}" ${count} ${concurrency} ${hold} ${holdMs}`;
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', script], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      if (stderr) process.stderr.write(stderr);
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

test('fd starvation: ulimit -n 1024, concurrency 2000, 20,000 URLs: every row ok, one attempt each', { timeout: 300_000 }, async () => {
  const result = await runChild(1024, 20_000, 2000);
  console.log(`fd-starved run: ${JSON.stringify(result)}`);
  assert.equal(result.limit, '1024');
  assert.deepEqual(result.codes, { ok: 20_000 });
  assert.equal(result.titles, 20_000);
  assert.equal(result.attempts, 20_000);
});

test('50,000 URLs at concurrency 256: every row ok', { timeout: 300_000 }, async () => {
  const result = await runChild(1024, 50_000, 256);
  console.log(`50k run: ${JSON.stringify(result)}`);
  assert.deepEqual(result.codes, { ok: 50_000 });
  assert.equal(result.titles, 50_000);
});

test('EMFILE mid-run (900 of 1024 descriptors held for 1 s): connects wait for a descriptor, every row ok', { timeout: 300_000 }, async () => {
  const result = await runChild(1024, 5_000, 800, 900, 1000);
  console.log(`EMFILE run: ${JSON.stringify(result)}`);
  assert.deepEqual(result.codes, { ok: 5_000 });
  assert.equal(result.attempts, 5_000);
});

test('the CLI as in the report: ulimit -n 1024, gather fetch -c 2000 over 20,000 URLs to a JSONL file: every row ok', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gather-fd-'));
  try {
    const list = join(dir, 'urls.txt');
    const out = join(dir, 'rows.jsonl');
    await writeFile(list, Array.from({ length: 20_000 }, (_, i) => `${server.url}/page/${i}\n`).join(''));
    const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
    const script = `ulimit -n 1024 && exec "${process.execPath}" "${cli}" fetch "${list}" -c 2000 -f jsonl -o "${out}" --quiet`;
    const started = performance.now();
    await new Promise<void>((resolve, reject) =>
      execFile('/bin/sh', ['-c', script], { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve())),
    );
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { ok: boolean; attempts: number });
    console.log(`CLI fd-starved run: ${rows.length} rows, ${rows.filter((r) => r.ok).length} ok, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(rows.length, 20_000);
    assert.equal(rows.filter((r) => r.ok && r.attempts === 1).length, 20_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
