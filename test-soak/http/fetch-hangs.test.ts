// Soak (issue 8): 1,000,000 URLs through `gather fetch`, 1% of them hanging until the deadline, in
// order with the default reorder window. Hanging hosts must not stall the run nor grow memory: peak
// RSS within 2x of the same run without hangs. Run with `npm run test:soak`.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureProcess, type FixtureProcess } from '../../test/reliability/fixture-process.js';
import { soak } from './_soak.js';

let server: FixtureProcess;
let dir: string;

before(async () => {
  server = await startFixtureProcess();
  dir = await mkdtemp(join(tmpdir(), 'gather-soak-hangs-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const COUNT = Number(process.env.GATHER_SOAK_HANGS ?? 1_000_000);
const hangs = (i: number): boolean => i % 100 === 50;
const page = (i: number): string => `${server.url}/page/${i % 20_000}?n=${i}`;
// The same deadline for both runs; a hanging URL holds its slot for all of it.
const flags = ['--timeout', '500ms'];

describe('soak: 1% hanging URLs do not stall the run or grow memory', () => {
  it(`${COUNT.toLocaleString('en-US')} URLs with 1% hanging: every row in order, peak RSS within 2x of the run without hangs`, { timeout: 60 * 60_000 }, async () => {
    await soak(2_000, { dir, flags, urlOf: page }); // warm the fresh fixture server: its first pages are slow
    const clean = await soak(COUNT, { dir, flags, urlOf: page });
    const hanging = await soak(COUNT, { dir, flags, urlOf: (i) => (hangs(i) ? `${server.url}/hang?n=${i}` : page(i)) });
    console.log(`fetch soak, no hangs: ${JSON.stringify(clean)}`);
    console.log(`fetch soak, 1% hanging: ${JSON.stringify(hanging)}`);
    // A page may miss the short deadline on a loaded machine: allow 0.1% of them, no more.
    const slack = COUNT / 1000;
    assert.equal(clean.rows, COUNT);
    assert.ok(clean.okRows >= COUNT - slack, `${COUNT - clean.okRows} pages failed`);
    assert.equal(hanging.rows, COUNT);
    assert.ok(hanging.okRows <= COUNT - COUNT / 100, 'every hanging URL failed (timeout)');
    assert.ok(hanging.okRows >= COUNT - COUNT / 100 - slack, `${COUNT - COUNT / 100 - hanging.okRows} pages failed`);
    assert.ok(clean.inOrder && hanging.inOrder);
    assert.ok(hanging.peakRssMb <= clean.peakRssMb * 2, `peak RSS ${hanging.peakRssMb} MB with hangs, ${clean.peakRssMb} MB without`);
  });
});
