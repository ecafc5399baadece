import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Task, createTask, currentSignal, gather, sleep } from '../../src/core/index.js';
import { deferred, delay, rejection } from './_helpers.js';

describe('Task: identity and start', () => {
  test('a task gets a default name Task-N, or the name given', async () => {
    const a = createTask(() => 1);
    const b = createTask(() => 2);
    const named = createTask(() => 3, { name: 'fetch-users' });
    assert.match(a.name, /^Task-\d+$/);
    assert.match(b.name, /^Task-\d+$/);
    assert.notEqual(a.name, b.name);
    assert.equal(named.name, 'fetch-users');
    assert.equal(Object.prototype.toString.call(named), '[object Task]');
    await gather(a, b, named);
  });

  test('the job starts on the next microtask, not synchronously', async () => {
    let ran = false;
    const task = createTask(() => {
      ran = true;
    });
    assert.equal(ran, false);
    await task;
    assert.equal(ran, true);
  });

  test('a task is awaitable and chains like a promise', async () => {
    const task = createTask(async () => {
      await delay(5);
      return 21;
    });
    assert.equal(await task, 21);
    assert.equal(await task.then((n) => n * 2), 42);
    assert.equal(await Promise.resolve(task), 21);
    let finallyRan = false;
    assert.equal(await task.finally(() => (finallyRan = true)), 21);
    assert.equal(finallyRan, true);
    const failing = createTask(() => Promise.reject(new Error('no')));
    assert.equal(await failing.catch((error) => (error as Error).message), 'no');
  });

  test('the job runs in the task scope: its signal is the ambient signal', async () => {
    let given: AbortSignal | undefined;
    let ambient: AbortSignal | undefined;
    await createTask((signal) => {
      given = signal;
      ambient = currentSignal();
    });
    assert.ok(given);
    assert.equal(ambient, given);
  });
});

describe('Task: cancel', () => {
  test('cancel before start: the job never runs and the task is cancelled', async () => {
    let ran = false;
    const task = createTask(() => {
      ran = true;
    });
    assert.equal(task.cancel('too early'), true);
    assert.equal(task.done(), true);
    assert.equal(task.cancelled(), true);
    const error = await rejection(task);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'too early');
    await delay(5);
    assert.equal(ran, false);
  });

  test('cancel while running returns true, aborts the job signal and settles when the job does', async () => {
    let jobSignal: AbortSignal | undefined;
    const cleaned = deferred();
    const task = createTask(async (signal) => {
      jobSignal = signal;
      try {
        await sleep(1_000, undefined, { signal });
      } finally {
        await delay(10);
        cleaned.resolve();
      }
    });
    await delay(5);
    assert.equal(task.cancel('stop'), true);
    assert.equal(jobSignal?.aborted, true);
    assert.ok(jobSignal?.reason instanceof CancelledError);
    assert.equal(task.done(), false, 'still cleaning up');
    assert.equal(task.cancel(), true, 'still pending: cancel() keeps answering true');
    const error = await rejection(task);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'stop');
    await cleaned.promise; // the cleanup ran before the task settled
    assert.equal(task.cancelled(), true);
  });

  test('cancel(reason) returns false once the task is done', async () => {
    const ok = createTask(() => 'done');
    await ok;
    assert.equal(ok.cancel(), false);
    assert.equal(ok.cancelled(), false);
    const failed = createTask(() => Promise.reject(new Error('x')));
    await rejection(failed);
    assert.equal(failed.cancel(), false);
    const cancelled = createTask(() => 1);
    cancelled.cancel();
    assert.equal(cancelled.cancel(), false);
  });

  test('a job that ignores the cancel and returns a value fulfils the task', async () => {
    const task = createTask(async () => {
      await delay(10);
      return 'finished anyway';
    });
    await delay(1);
    assert.equal(task.cancel(), true);
    assert.equal(await task, 'finished anyway');
    assert.equal(task.cancelled(), false);
  });

  test('a job that rejects with an AbortError after its signal aborted counts as cancelled', async () => {
    const task = createTask((signal) => delay(1_000, undefined, { signal }));
    await delay(1);
    task.cancel();
    assert.ok((await rejection(task)) instanceof CancelledError);
    assert.equal(task.cancelled(), true);
  });

  test('an AbortError the task did not ask for is an ordinary failure', async () => {
    const other = new AbortController();
    other.abort();
    const task = createTask(() => delay(10, undefined, { signal: other.signal }));
    const error = await rejection(task);
    assert.equal((error as Error).name, 'AbortError');
    assert.equal(task.cancelled(), false);
    assert.equal(task.exception(), error);
  });

  test('the signal option cancels the task; an already aborted one means it never runs', async () => {
    const controller = new AbortController();
    const task = createTask((signal) => sleep(1_000, undefined, { signal }), { signal: controller.signal });
    await delay(1);
    controller.abort('parent');
    const error = await rejection(task);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'parent');
    let ran = false;
    const never = createTask(
      () => {
        ran = true;
      },
      { signal: AbortSignal.abort() },
    );
    assert.equal(never.cancelled(), true);
    await rejection(never);
    assert.equal(ran, false);
  });

  test('a task created inside a job is cancelled with that job scope', async () => {
    let inner: Task<string> | undefined;
    const outer = gather(async () => {
      inner = createTask(() => sleep(1_000, 'inner'));
      await sleep(1_000);
    });
    await delay(5);
    outer.cancel();
    await rejection(outer);
    assert.ok(inner);
    assert.ok((await rejection(inner)) instanceof CancelledError);
    assert.equal(inner.cancelled(), true);
  });

  test('a task created inside a task is cancelled with it', async () => {
    let child: Task<void> | undefined;
    const parent = createTask(async () => {
      child = createTask(() => sleep(1_000));
      await child;
    });
    await delay(5);
    parent.cancel();
    await rejection(parent);
    assert.equal(child?.cancelled(), true);
  });

  test('a top-level task outlives a gather that awaited it and failed', async () => {
    const task = createTask(() => sleep(20, 'kept'));
    await rejection(gather(task, Promise.reject(new Error('sibling'))));
    assert.equal(await task, 'kept');
  });
});

describe('Task: result() and exception() in each state', () => {
  test('pending: both throw an Error saying it is not done', () => {
    const task = createTask(() => sleep(5));
    assert.throws(() => task.result(), /is not done yet/);
    assert.throws(() => task.exception(), /is not done yet/);
    assert.equal(task.done(), false);
    task.cancel();
  });

  test('fulfilled: result() is the value, exception() is undefined', async () => {
    const task = createTask(async () => ({ id: 1 }));
    await task;
    assert.deepEqual(task.result(), { id: 1 });
    assert.equal(task.exception(), undefined);
    assert.equal(task.done(), true);
  });

  test('rejected: result() throws the failure, exception() returns it (non-Errors wrapped)', async () => {
    const error = new TypeError('bad');
    const task = createTask(() => {
      throw error;
    });
    await rejection(task);
    assert.throws(() => task.result(), (thrown) => thrown === error);
    assert.equal(task.exception(), error);
    const stringly = createTask(() => Promise.reject('plain string'));
    await rejection(stringly);
    const wrapped = stringly.exception();
    assert.ok(wrapped instanceof Error);
    assert.equal(wrapped.cause, 'plain string');
  });

  test('cancelled: result() and exception() throw the CancelledError', async () => {
    const task = createTask(() => 1);
    task.cancel('why');
    const error = await rejection(task);
    assert.throws(() => task.result(), (thrown) => thrown === error);
    assert.throws(() => task.exception(), (thrown) => thrown === error);
    assert.equal(task.cancelled(), true);
    assert.equal(task.done(), true);
  });
});
