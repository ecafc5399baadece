import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DESCRIPTOR_RESERVE, descriptorBudget, softDescriptorLimit } from '../../src/http/fd-limit.js';

test('fd limit: the budget leaves max(64, limit / 8) descriptors free', () => {
  assert.equal(descriptorBudget(1024), 1024 - 128);
  assert.equal(descriptorBudget(256), 256 - DESCRIPTOR_RESERVE);
  assert.equal(descriptorBudget(10), 1);
  assert.equal(descriptorBudget(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  assert.ok(softDescriptorLimit() > 0);
});

test('fd limit: under ulimit -n 256, concurrency is capped below the limit (Linux: /proc/self/limits)', () => {
  const script = `ulimit -n 256 && exec "${process.execPath}" --import tsx -e "import('./src/http/options.ts').then((m) => console.log(m.resolveOptions({ concurrency: 2000 }, 'x', 'fetch').concurrency))"`;
  assert.equal(execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).trim(), String(256 - DESCRIPTOR_RESERVE));
});
