import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, gather, sleep } from '../../src/core/index.js';
import { abortListeners, activeTimers, delay, rejection } from './_helpers.js';

test('sleep resolves with its value after about ms milliseconds', async () => {
  const started = Date.now();
  assert.equal(await sleep(30, 'Result 1'), 'Result 1');
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 29 && elapsed < 500, `slept ${elapsed} ms`);
  assert.equal(await sleep(0), undefined);
});

test('an aborted signal rejects the sleep with CancelledError at once and clears its timer', async () => {
  const before = activeTimers();
  const controller = new AbortController();
  const sleeping = sleep(10_000, 'never', { signal: controller.signal });
  assert.equal(activeTimers(), before + 1);
  const started = Date.now();
  controller.abort('no more');
  const error = await rejection(sleeping);
  assert.ok(Date.now() - started < 200, 'rejected promptly, not at the 10 s deadline');
  assert.ok(error instanceof CancelledError);
  assert.equal(error.reason, 'no more');
  assert.equal(activeTimers(), before);
  assert.equal(abortListeners(controller.signal), 0);
});

test('a signal aborted with a CancelledError rejects with that very error', async () => {
  const reason = new CancelledError('mine');
  const error = await rejection(sleep(10, undefined, { signal: AbortSignal.abort(reason) }));
  assert.equal(error, reason);
});

test('an already aborted signal rejects without starting a timer', async () => {
  const before = activeTimers();
  const sleeping = sleep(10_000, undefined, { signal: AbortSignal.abort() });
  assert.equal(activeTimers(), before);
  assert.ok((await rejection(sleeping)) instanceof CancelledError);
});

test('a sleep that ends normally removes its abort listener', async () => {
  const controller = new AbortController();
  await sleep(1, undefined, { signal: controller.signal });
  assert.equal(abortListeners(controller.signal), 0);
});

test('sleep() inside a gather job, with no signal, is cancelled with the gather', async () => {
  const before = activeTimers();
  let sleepError: unknown;
  const run = gather(() =>
    sleep(10_000).catch((error: unknown) => {
      sleepError = error;
      throw error;
    }),
  );
  await delay(5);
  run.cancel();
  await rejection(run);
  assert.ok(sleepError instanceof CancelledError);
  assert.equal(activeTimers(), before);
});

test('an infinite sleep holds no timer and ends only by cancellation', async () => {
  const before = activeTimers();
  const controller = new AbortController();
  const forever = sleep(Number.POSITIVE_INFINITY, undefined, { signal: controller.signal });
  assert.equal(activeTimers(), before);
  controller.abort();
  assert.ok((await rejection(forever)) instanceof CancelledError);
});
