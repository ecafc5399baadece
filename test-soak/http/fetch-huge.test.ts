// Soak: `gather fetch` reading a 1,000,000-line URL stream from stdin against the fixture server
// (in its own process) and writing JSONL to a file. Peak RSS must stay flat: the 1M run may not use
// meaningfully more memory than the 100k run. Run with `npm run test:soak`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureProcess, type FixtureProcess } from '../../test/reliability/fixture-process.js';
import { soak as soakCli } from './_soak.js';
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

const soak = (count: number) => soakCli(count, { dir, urlOf: (i) => `${server.url}/page/${i % 20_000}?n=${i}` });

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
