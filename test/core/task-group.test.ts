import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, TaskGroup, gather, sleep, type Task } from '../../src/core/index.js';
import { abortListeners, delay, loggedJob, rejection } from './_helpers.js';

describe('TaskGroup: success', () => {
  test('run() resolves with the body value once every task settled', async () => {
    const log: string[] = [];
    const value = await TaskGroup.run(async (group) => {
      const a = group.createTask(loggedJob(log, 'a', 10, 'A'));
      group.createTask(loggedJob(log, 'b', 30, 'B')); // never awaited by the body
      return `body got ${await a}`;
    });
    assert.equal(value, 'body got A');
    assert.ok(log.includes('b:done'), 'run waited for the task the body did not await');
  });

  test('a synchronous body works and tasks created in it run', async () => {
    const seen: number[] = [];
    const value = await TaskGroup.run((group) => {
      for (const n of [1, 2, 3]) group.createTask(() => void seen.push(n));
      return 'sync';
    });
    assert.equal(value, 'sync');
    assert.deepEqual(seen.sort(), [1, 2, 3]);
  });

  test('tasks take names; the body and tasks run in the group scope', async () => {
    await new TaskGroup().run(async (group, signal) => {
      assert.equal(signal, group.signal);
      const task = group.createTask(() => 1, { name: 'one' });
      assert.equal(task.name, 'one');
      await task;
    });
  });
});

describe('TaskGroup: failure', () => {
  test('first failure cancels the siblings and the body, then run rejects AggregateError with the failures', async () => {
    const log: string[] = [];
    let bodyError: unknown;
    const error = await rejection(
      TaskGroup.run(async (group) => {
        group.createTask(loggedJob(log, 'sibling', 1_000, 1));
        group.createTask(async () => {
          await delay(10);
          throw new Error('first failure');
        });
        try {
          await sleep(1_000); // ambient: cancelled with the group
        } catch (caught) {
          bodyError = caught;
          throw caught;
        }
      }),
    );
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(
      error.errors.map((e: Error) => e.message),
      ['first failure'],
      'only the failure: not the cancellations it caused',
    );
    assert.match(error.message, /1 task failed.*first failure/);
    assert.ok(bodyError instanceof CancelledError);
    assert.deepEqual(log, ['sibling:start', 'sibling:aborted', 'sibling:finally']);
  });

  test('every failure is reported, in the order they happened', async () => {
    const error = await rejection(
      TaskGroup.run((group) => {
        group.createTask(() => {
          throw new Error('one');
        });
        group.createTask(() => Promise.reject(new Error('two')));
        group.createTask(() => sleep(1_000));
      }),
    );
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ['one', 'two']);
  });

  test('a failure the body rethrows by awaiting the task is reported once', async () => {
    const failure = new Error('awaited failure');
    const error = await rejection(
      TaskGroup.run(async (group) => {
        const task = group.createTask(async () => {
          await delay(5);
          throw failure;
        });
        await task;
      }),
    );
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors, [failure]);
  });

  test('a body failure cancels the tasks and is reported', async () => {
    const log: string[] = [];
    const error = await rejection(
      TaskGroup.run(async (group) => {
        group.createTask(loggedJob(log, 't', 1_000, 1));
        await delay(5);
        throw new Error('body');
      }),
    );
    assert.ok(error instanceof AggregateError);
    assert.deepEqual(error.errors.map((e: Error) => e.message), ['body']);
    assert.ok(log.includes('t:aborted'));
  });

  test('the group signal aborts on the first failure', async () => {
    const group = new TaskGroup();
    const run = group.run((g) => {
      g.createTask(() => Promise.reject(new Error('x')));
    });
    await rejection(run);
    assert.equal(group.signal.aborted, true);
    assert.ok(group.signal.reason instanceof CancelledError);
  });

  test('a task cancelled on its own is not a failure and leaves the group running', async () => {
    let cancelledTask: Task<string> | undefined;
    const value = await TaskGroup.run(async (group) => {
      const keep = group.createTask(() => sleep(20, 'kept'));
      cancelledTask = group.createTask(() => sleep(1_000, 'dropped'));
      cancelledTask.cancel();
      return await keep;
    });
    assert.equal(value, 'kept');
    assert.equal(cancelledTask?.cancelled(), true);
  });

  test('a body that ends with a CancelledError of its own rejects with it and cancels the tasks', async () => {
    const log: string[] = [];
    const error = await rejection(
      TaskGroup.run(async (group) => {
        group.createTask(loggedJob(log, 'other', 1_000, 1));
        const task = group.createTask(() => sleep(1_000));
        task.cancel('dropped');
        await task; // rethrows the task's CancelledError
      }),
    );
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'dropped');
    assert.ok(log.includes('other:aborted'));
  });

  test('createTask is refused before run, while shutting down, and after the group finished', async () => {
    const group = new TaskGroup();
    assert.throws(() => group.createTask(() => 1), /not running/);
    let duringShutdown: unknown;
    await rejection(
      group.run(async (g) => {
        g.createTask(() => Promise.reject(new Error('x')));
        await sleep(1_000).catch(() => undefined);
        try {
          g.createTask(() => 1);
        } catch (error) {
          duringShutdown = error;
        }
      }),
    );
    assert.match(String(duringShutdown), /shutting down/);
    assert.throws(() => group.createTask(() => 1), /finished/);
    const done = new TaskGroup();
    await done.run(() => 1);
    assert.throws(() => done.createTask(() => 1), /TaskGroup is finished/);
  });

  test('run() twice on one group is refused', async () => {
    const group = new TaskGroup();
    await group.run(() => 1);
    const error = await rejection(group.run(() => 2));
    assert.match(String(error), /already called/);
  });
});

describe('TaskGroup: cancellation and nesting', () => {
  test('a parent signal cancels every task and the body: run rejects with CancelledError', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const run = TaskGroup.run(
      async (group) => {
        group.createTask(loggedJob(log, 't', 1_000, 1, 10));
        await sleep(1_000);
      },
      { signal: controller.signal },
    );
    await delay(5);
    controller.abort('shutdown');
    const error = await rejection(run);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'shutdown');
    assert.deepEqual(log, ['t:start', 't:aborted', 't:finally'], 'the task cleaned up before run rejected');
    assert.equal(abortListeners(controller.signal), 0);
  });

  test('an already aborted signal: run rejects with CancelledError', async () => {
    let sawAborted: boolean | undefined;
    const error = await rejection(
      TaskGroup.run((group, signal) => {
        sawAborted = signal.aborted;
      }, { signal: AbortSignal.abort() }),
    );
    assert.ok(error instanceof CancelledError);
    assert.equal(sawAborted, true);
  });

  test('a group inside a gather job is cancelled with the gather (ambient scope)', async () => {
    const log: string[] = [];
    const outer = gather(() => TaskGroup.run((group) => void group.createTask(loggedJob(log, 'deep', 1_000, 1))));
    await delay(5);
    outer.cancel();
    assert.ok((await rejection(outer)) instanceof CancelledError);
    assert.ok(log.includes('deep:aborted'));
  });

  test('nested groups: an inner failure fails the outer group and cancels the outer siblings', async () => {
    const log: string[] = [];
    const error = await rejection(
      TaskGroup.run(async (outer) => {
        outer.createTask(loggedJob(log, 'outer-sibling', 1_000, 1));
        outer.createTask(() =>
          TaskGroup.run((inner) => {
            inner.createTask(loggedJob(log, 'inner-sibling', 1_000, 1));
            inner.createTask(async () => {
              await delay(5);
              throw new Error('deep failure');
            });
          }),
        );
      }),
    );
    assert.ok(error instanceof AggregateError);
    assert.equal(error.errors.length, 1);
    const inner = error.errors[0] as AggregateError;
    assert.ok(inner instanceof AggregateError);
    assert.deepEqual(inner.errors.map((e: Error) => e.message), ['deep failure']);
    assert.ok(log.includes('outer-sibling:aborted'));
    assert.ok(log.includes('inner-sibling:aborted'));
  });

  test('nested groups: cancelling the outer one cancels the inner tasks', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const run = TaskGroup.run(
      (outer) => {
        outer.createTask(() => TaskGroup.run((inner) => void inner.createTask(loggedJob(log, 'inner', 1_000, 1))));
      },
      { signal: controller.signal },
    );
    await delay(5);
    controller.abort();
    assert.ok((await rejection(run)) instanceof CancelledError);
    assert.deepEqual(log, ['inner:start', 'inner:aborted', 'inner:finally']);
  });
});
