// createTask(job, { eager: true }): Python 3.12's eager tasks (test_eager_task_factory.py's idea).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, createTask, currentSignal, sleep } from '../../src/core/index.js';
import { rejection } from './_helpers.js';

describe('eager tasks', () => {
  test('the job runs synchronously up to its first await, in the task scope', async () => {
    const log: string[] = [];
    const task = createTask(async (signal) => {
      log.push(`start, scoped: ${currentSignal() === signal}`);
      await sleep(1);
      log.push('after await');
      return 'done';
    }, { eager: true });
    log.push('createTask returned');
    assert.deepEqual(log, ['start, scoped: true', 'createTask returned']);
    assert.equal(await task, 'done');
    assert.deepEqual(log, ['start, scoped: true', 'createTask returned', 'after await']);
  });

  test('a job that never awaits leaves the task done on return; a lazy one does not', () => {
    const eager = createTask(() => 42, { eager: true });
    assert.equal(eager.done(), true);
    assert.equal(eager.result(), 42);
    const thrown = createTask(() => {
      throw new RangeError('sync');
    }, { eager: true });
    assert.equal(thrown.done(), true);
    assert.throws(() => thrown.result(), RangeError);
    const lazy = createTask(() => 42);
    assert.equal(lazy.done(), false);
  });

  test('an eager task is cancelled like any other; an aborted signal means the job never runs', async () => {
    let ran = false;
    const never = createTask(() => {
      ran = true;
    }, { eager: true, signal: AbortSignal.abort() });
    assert.equal(ran, false);
    assert.ok((await rejection(never)) instanceof CancelledError);
    const task = createTask(() => sleep(10_000), { eager: true });
    task.cancel();
    await rejection(task);
    assert.equal(task.cancelled(), true);
  });

  test('eager must be a boolean', () => {
    assert.throws(() => createTask(() => 1, { eager: 'yes' as unknown as boolean }), /Expected `eager` to be a boolean/);
  });
});
