import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BoundedSemaphore, CancelledError, Semaphore, gather, sleep } from '../../src/core/index.js';
import { ConcurrencyTracker, abortListeners, delay, macrotasks, rejection } from './_helpers.js';

describe('Semaphore', () => {
  test('defaults to one permit (a lock) and reports value, waiting and locked()', async () => {
    const lock = new Semaphore();
    assert.equal(lock.value, 1);
    assert.equal(lock.locked(), false);
    await lock.acquire();
    assert.equal(lock.value, 0);
    assert.equal(lock.locked(), true);
    const waiting = lock.acquire();
    assert.equal(lock.waiting, 1);
    lock.release();
    await waiting;
    assert.equal(lock.waiting, 0);
    assert.equal(lock.value, 0);
    lock.release();
    assert.equal(lock.value, 1);
  });

  test('at most value holders at once', async () => {
    const slots = new Semaphore(3);
    const tracker = new ConcurrencyTracker();
    await gather(
      Array.from({ length: 12 }, (_, i) => () => slots.use(() => tracker.run(() => delay(1 + (i % 4))))),
    );
    assert.equal(tracker.max, 3);
    assert.equal(tracker.started, 12);
    assert.equal(slots.value, 3);
  });

  test('waiters are served strictly first come, first served', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const order: number[] = [];
    const waiters = [0, 1, 2, 3].map((i) => sem.acquire().then(() => order.push(i)));
    for (let i = 0; i < 4; i++) {
      sem.release();
      await macrotasks(1);
    }
    await Promise.all(waiters);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  test('a permit released while others wait goes to the first waiter, never to a newcomer', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    let firstGotIt = false;
    const first = sem.acquire().then(() => (firstGotIt = true));
    sem.release();
    // The permit is the first waiter's now, even before its continuation ran.
    assert.equal(sem.tryAcquire(), false, 'a newcomer must not take the freed permit');
    let newcomerGotIt = false;
    const newcomer = sem.acquire().then(() => (newcomerGotIt = true));
    await first;
    assert.equal(firstGotIt, true);
    assert.equal(newcomerGotIt, false);
    sem.release();
    await newcomer;
    assert.equal(newcomerGotIt, true);
  });

  test('tryAcquire() takes a free permit only when nobody is queued', async () => {
    const sem = new Semaphore(2);
    assert.equal(sem.tryAcquire(), true);
    assert.equal(sem.tryAcquire(), true);
    assert.equal(sem.tryAcquire(), false);
    const queued = sem.acquire();
    sem.release(); // goes to the queued acquire
    assert.equal(sem.tryAcquire(), false);
    await queued;
    sem.release();
    assert.equal(sem.tryAcquire(), true);
  });

  test('an aborted acquire rejects with CancelledError, leaves the queue, loses no permit and no listener', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const controller = new AbortController();
    const gaveUp = sem.acquire({ signal: controller.signal });
    const next = sem.acquire();
    assert.equal(sem.waiting, 2);
    controller.abort('bored');
    const error = await rejection(gaveUp);
    assert.ok(error instanceof CancelledError);
    assert.equal(error.reason, 'bored');
    assert.equal(sem.waiting, 1);
    assert.equal(abortListeners(controller.signal), 0);
    sem.release(); // skips the waiter who gave up
    await next;
    sem.release();
    assert.equal(sem.value, 1, 'no permit lost');
    assert.equal(sem.waiting, 0);
  });

  test('a granted acquire removes its listener; aborting afterwards changes nothing', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const controller = new AbortController();
    const waiting = sem.acquire({ signal: controller.signal });
    assert.equal(abortListeners(controller.signal), 1);
    sem.release();
    await waiting;
    assert.equal(abortListeners(controller.signal), 0);
    controller.abort();
    assert.equal(sem.value, 0, 'the permit is still held');
    sem.release();
    assert.equal(sem.value, 1);
  });

  test('an already aborted signal rejects at once without taking a permit', async () => {
    const sem = new Semaphore(1);
    assert.ok((await rejection(sem.acquire({ signal: AbortSignal.abort() }))) instanceof CancelledError);
    assert.equal(sem.value, 1);
  });

  test('acquire() inside a gather job, with no signal, is cancelled with the gather', async () => {
    const sem = new Semaphore(0);
    let acquireError: unknown;
    const run = gather(() =>
      sem.acquire().catch((error: unknown) => {
        acquireError = error;
        throw error;
      }),
    );
    await delay(2);
    run.cancel();
    await rejection(run);
    assert.ok(acquireError instanceof CancelledError);
    assert.equal(sem.waiting, 0);
    sem.release();
    assert.equal(sem.value, 1);
  });

  test('use() returns the value and releases the permit', async () => {
    const sem = new Semaphore(1);
    assert.equal(await sem.use(() => sleep(1, 'value')), 'value');
    assert.equal(sem.value, 1);
  });

  test('use() releases the permit when fn throws, synchronously or not', async () => {
    const sem = new Semaphore(1);
    const sync = await rejection(
      sem.use(() => {
        throw new Error('sync');
      }),
    );
    assert.equal((sync as Error).message, 'sync');
    assert.equal(sem.value, 1);
    await rejection(sem.use(() => Promise.reject(new Error('async'))));
    assert.equal(sem.value, 1);
  });

  test('use() with an aborted signal never runs fn and takes no permit', async () => {
    const sem = new Semaphore(1);
    let ran = false;
    const error = await rejection(
      sem.use(
        () => {
          ran = true;
        },
        { signal: AbortSignal.abort() },
      ),
    );
    assert.ok(error instanceof CancelledError);
    assert.equal(ran, false);
    assert.equal(sem.value, 1);
  });

  test('a semaphore of 0 blocks until a release', async () => {
    const sem = new Semaphore(0);
    let got = false;
    const waiting = sem.acquire().then(() => (got = true));
    await macrotasks(2);
    assert.equal(got, false);
    sem.release();
    await waiting;
    assert.equal(got, true);
  });
});

describe('BoundedSemaphore', () => {
  test('an over-release is a RangeError', async () => {
    const sem = new BoundedSemaphore(2);
    assert.throws(() => sem.release(), { name: 'RangeError', message: /released more times than it was acquired/ });
    await sem.acquire();
    await sem.acquire();
    sem.release();
    sem.release();
    assert.throws(() => sem.release(), RangeError);
    assert.equal(sem.value, 2);
  });

  test('a release with waiters hands the permit over, as in Semaphore', async () => {
    const sem = new BoundedSemaphore(1);
    await sem.acquire();
    const waiting = sem.acquire();
    sem.release();
    await waiting;
    assert.equal(sem.value, 0);
    sem.release();
    assert.equal(sem.value, 1);
    assert.throws(() => sem.release(), RangeError);
  });
});
