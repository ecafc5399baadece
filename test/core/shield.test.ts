// asyncio.shield, with CPython's test_tasks.py cases (test_shield_result, test_shield_exception,
// test_shield_cancel_inner, test_shield_cancel_outer, test_shield_shortcut, test_shield_effect,
// test_shield_gather, test_gather_shield) ported to our API; and shielded(), the scope in which
// cleanup code of a cancelled job can still await.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancelledError, Semaphore, Task, createTask, gather, shield, shielded, sleep } from '../../src/core/index.js';
import { abortListeners, deferred, macrotasks, rejection, spyUnhandled } from './_helpers.js';

describe('shield, ported from CPython test_tasks.py', () => {
  test('test_shield_result: the outer resolves with the inner value', async () => {
    const inner = deferred<number>();
    const outer = shield(inner.promise);
    inner.resolve(42);
    assert.equal(await outer, 42);
  });

  test('test_shield_exception: the outer fails with the inner failure', async () => {
    const inner = deferred<number>();
    const outer = shield(inner.promise);
    const error = new RangeError('expected');
    inner.reject(error);
    assert.equal(await rejection(outer), error);
    assert.equal(outer.exception(), error);
  });

  test('test_shield_cancel_inner: cancelling the inner cancels the outer', async () => {
    const inner = createTask(() => sleep(10_000));
    const outer = shield(inner);
    await macrotasks(1);
    inner.cancel();
    await rejection(outer);
    assert.equal(outer.cancelled(), true);
  });

  test('test_shield_cancel_outer: cancelling the outer cancels it alone and leaves no listener behind', async () => {
    const controller = new AbortController();
    const inner = createTask(() => sleep(20, 'inner'));
    const outer = shield(inner, { signal: controller.signal });
    controller.abort();
    await rejection(outer);
    assert.equal(outer.cancelled(), true);
    assert.equal(abortListeners(controller.signal), 0);
    assert.equal(await inner, 'inner');
  });

  test('test_shield_shortcut: a Task already done is returned as it is', async () => {
    const task = createTask(() => 42, { eager: true });
    assert.equal(shield(task), task);
    assert.equal(await shield(task), 42);
  });

  test('test_shield_effect: cancelling the task awaiting a shielded job does not cancel the job', async () => {
    let proof = 0;
    const waiter = deferred();
    const outer = createTask(async () => {
      await shield(async () => {
        await waiter.promise;
        await sleep(1); // would throw at once if the job saw the cancelled scope
        proof += 1;
      });
      proof += 100;
    });
    await macrotasks(1);
    outer.cancel();
    assert.ok((await rejection(outer)) instanceof CancelledError);
    waiter.resolve();
    await sleep(20);
    assert.equal(proof, 1);
  });

  test('test_shield_gather: shield(gather(...)) cancelled leaves the gather and its children running', async () => {
    const child1 = deferred<number>();
    const child2 = deferred<number>();
    const parent = gather(child1.promise, child2.promise);
    const outer = shield(parent);
    await macrotasks(1);
    outer.cancel();
    await rejection(outer);
    assert.equal(outer.cancelled(), true);
    child1.resolve(1);
    child2.resolve(2);
    assert.deepEqual(await parent, [1, 2]);
  });

  test('test_gather_shield: cancelling gather(shield(a), shield(b)) cancels the shields, not a and b', async () => {
    const child1 = createTask(() => sleep(20, 1));
    const child2 = createTask(() => sleep(20, 2));
    const inner1 = shield(child1);
    const inner2 = shield(child2);
    const parent = gather(inner1, inner2);
    await macrotasks(1);
    parent.cancel();
    assert.ok((await rejection(parent)) instanceof CancelledError);
    assert.equal(inner1.cancelled(), true);
    assert.equal(inner2.cancelled(), true);
    assert.deepEqual(await gather(child1, child2), [1, 2]);
  });

  test('a bad inner is a TypeError; an outer cancelled before it ran leaks no rejection of its promise', async () => {
    assert.throws(() => shield(5 as unknown as Promise<number>), /Expected `inner` of shield\(\)/);
    const spy = spyUnhandled();
    const gate = deferred();
    const failing = gate.promise.then(() => Promise.reject(new Error('late')));
    const outer = shield(failing, { signal: AbortSignal.abort() });
    assert.ok(outer instanceof Task);
    await rejection(outer);
    gate.resolve();
    await macrotasks(2);
    assert.deepEqual(spy.stop(), []);
  });
});

describe('shielded: cleanup after cancellation can await', () => {
  test('issue 12 case: in a cancelled job, finally { await sleep(30); cleaned = true } completes inside shielded()', async () => {
    let cleaned = false;
    let plainCleanupFailed = false;
    const run = gather(async () => {
      try {
        await sleep(1_000);
      } finally {
        // without a shield the ambient signal is still aborted: the sleep throws at once
        await sleep(30).catch(() => (plainCleanupFailed = true));
        await shielded(async () => {
          await sleep(30);
          cleaned = true;
        });
      }
    });
    await macrotasks(1);
    run.cancel();
    assert.ok((await rejection(run)) instanceof CancelledError);
    assert.equal(plainCleanupFailed, true);
    assert.equal(cleaned, true, 'gather waits for the cleanup of the job it cancelled');
  });

  test('inside shielded(), acquire and gather work in a cancelled scope; the value of fn is returned', async () => {
    const sem = new Semaphore(1);
    const task = createTask(async () => {
      try {
        await sleep(1_000);
      } finally {
        const results = await shielded(() => sem.use(() => gather(sleep(5, 'a'), () => sleep(5, 'b'))));
        assert.deepEqual(results, ['a', 'b']);
      }
    });
    await macrotasks(1);
    task.cancel();
    await rejection(task);
    assert.equal(task.cancelled(), true);
    assert.equal(sem.value, 1);
    assert.throws(() => shielded(5 as unknown as () => void), /Expected `fn` to be a function/);
  });
});
