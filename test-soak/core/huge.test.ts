// Soak: huge inputs, far above Node 20's native Promise.all limit (2,097,151 elements).
// Run with `node scripts/run-tests.mjs --soak`. Each scenario runs in a fresh process (see
// test/core/_huge-child.ts for why).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runHuge } from '../../test/core/_huge.js';

test('10,000,000 promises settle in input order', { timeout: 600_000 }, async () => {
  const report = await runHuge('gather', 10_000_000);
  console.log(`gather soak: 10M ${JSON.stringify(report)}`);
  assert.equal(report.length, 10_000_000);
  assert.equal(report.inOrder, true);
});

test('10,000,000 promises with returnExceptions: the failure in its slot, the rest in order', { timeout: 600_000 }, async () => {
  const report = await runHuge('gather-errors', 10_000_000);
  assert.equal(report.length, 10_000_000);
  assert.equal(report.inOrder, true);
});

test('10,000,000 items streamed through map in bounded memory: peak RSS flat from 1M to 10M', { timeout: 600_000 }, async () => {
  const small = await runHuge('map-stream', 1_000_000);
  const report = await runHuge('map-stream', 10_000_000);
  console.log(`map stream soak: 1M ${JSON.stringify(small)}; 10M ${JSON.stringify(report)}`);
  assert.ok((report.peakRssMb as number) <= (small.peakRssMb as number) * 1.1 + 8, `peak RSS 1M ${small.peakRssMb} MB, 10M ${report.peakRssMb} MB`);
  assert.equal(report.length, 10_000_000);
  assert.equal(report.inOrder, true);
  // O(concurrency), not O(input): 10^7 buffered results would take hundreds of MB.
  assert.ok((report.heapGrowth as number) < 64 * 1024 * 1024, `heap grew by ${report.heapGrowth} bytes`);
});
