// The asyncio toolbox examples (Queue pipeline, barrier batch), each run as a program and checked
// against what it must print.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from './run-example.js';

describe('asyncio toolbox examples', () => {
  it('15-queue-pipeline: bounded queue, 3 workers, join() then shutdown() stops them cleanly', async () => {
    const run = await runExample('15-queue-pipeline');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, [
      'Produced 20 jobs; the queue never held more than 5',
      'All 20 jobs done: sum of squares = 2870',
      '3 workers stopped after shutdown(), having handled 20 jobs',
      'every worker took part: true',
    ]);
  });

  it('16-barrier-batch: every round starts only once all 4 workers finished the previous one', async () => {
    const run = await runExample('16-barrier-batch');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, [
      'Round 1: all 4 parts loaded, the batch runs',
      'Round 2: all 4 parts loaded, the batch runs',
      'Round 3: all 4 parts loaded, the batch runs',
      '3 rounds; a worker ran ahead of the others: false',
      'waiting at the barrier now: 0',
    ]);
  });
});
