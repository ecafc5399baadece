// The seed's core stories (DESIGN.md's table), each run as a program and checked against what the
// seed's Python version prints, with the timing shape asserted in story seconds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printedSeconds, runExample } from './run-example.js';

describe('core examples print what the seed prints', () => {
  it('01-basic: two results in order, total time is the longest task (2 s), not the sum (3 s)', async () => {
    const run = await runExample('01-basic');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines[0], "[ 'Result 1', 'Result 2' ]");
    const seconds = printedSeconds(run.lines, /Finished in/);
    assert.ok(seconds >= 1.95 && seconds < 2.8, `took ${seconds}s`);
  });

  it('02-order: results in argument order whatever the random delays', async () => {
    const run = await runExample('02-order');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines.length, 3);
    run.lines.forEach((line, i) => assert.match(line, new RegExp(`^Result ${i + 1}: ID-${i + 1} \\(delay \\d\\.\\d\\ds\\)$`)));
  });

  it('03-wait-all: waits for the slow task (3 s) and keeps argument order', async () => {
    const run = await runExample('03-wait-all');
    assert.equal(run.code, 0, run.stderr);
    const seconds = printedSeconds(run.lines, /All tasks finished/);
    assert.ok(seconds >= 2.95 && seconds < 3.8, `took ${seconds}s`);
    assert.equal(run.lines[1], "[ 'Slow task', 'Fast task' ]");
  });

  it('04-exceptions: the first failure rejects at once (0.5 s) and the sibling keeps running', async () => {
    const run = await runExample('04-exceptions');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.lines[0], /^Error: Something went wrong! \(after \d\.\d\ds\)$/);
    const seconds = printedSeconds(run.lines, /^Error:/);
    assert.ok(seconds >= 0.45 && seconds < 0.95, `rejected after ${seconds}s`);
    assert.equal(run.lines[1], 'successTask finished yet? false');
    assert.equal(run.lines[2], 'successTask finished in the background: true');
  });

  it('05-return-exceptions: the failure sits in its slot between two successes', async () => {
    const run = await runExample('05-return-exceptions');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, ['Task 0: Success 1', 'Task 1: ERROR - Error!', 'Task 2: Success 2']);
  });

  it('08-dynamic: one result per user, in input order', async () => {
    const run = await runExample('08-dynamic');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, [
      'octocat: 8 repositories',
      'torvalds: 9 repositories',
      'gvanrossum: 24 repositories',
      'kennethreitz: 42 repositories',
    ]);
  });

  it('09-nested: nested shape [[A1, A2], [B1, B2]] in the time of the slowest batch (1 s)', async () => {
    const run = await runExample('09-nested');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines[0], "Batch 1: [ 'Result A1', 'Result A2' ]");
    assert.equal(run.lines[1], "Batch 2: [ 'Result B1', 'Result B2' ]");
    const seconds = printedSeconds(run.lines, /Both batches/);
    assert.ok(seconds >= 0.95 && seconds < 1.45, `took ${seconds}s`);
  });

  it('11-cancel: every child sees the cancellation before the gather reports it', async () => {
    const run = await runExample('11-cancel');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, ['Task 1 cancelled', 'Task 2 cancelled', 'Task 3 cancelled', 'All tasks cancelled']);
    // cancelled after 1 story second, so the 10 s tasks did not hold the process
    assert.ok(run.ms < 10 * 1000 * 0.05 + 2000, `ran ${run.ms} ms`);
  });

  it('12-tasks: a cancelled task leaves a CancelledError in its slot', async () => {
    const run = await runExample('12-tasks');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, [
      "way 1: [ 'coroutine1 done', 'coroutine2 done' ]",
      "way 2: [ 'coroutine1 done', 'coroutine2 done' ]",
      'way 3 slot 0: CancelledError',
      'way 3 slot 1: coroutine2 done',
      'task1.cancelled() = true, task2.result() = coroutine2 done',
    ]);
  });

  it('14-mistakes: the array form works, failures are checked, and limit bounds the fan-out', async () => {
    const run = await runExample('14-mistakes');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines, [
      'array form: [ 2, 4 ]',
      'Success: 2',
      'Success: 4',
      'Error: job 3 failed',
      '1000 jobs done, at most 10 at once',
    ]);
  });
});
