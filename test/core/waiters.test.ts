// The waiter queue under every primitive: FIFO wakes, and no growth from waits that gave up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parents } from '../../src/core/abort.js';
import { WaitQueue } from '../../src/core/waiters.js';
import { rejection } from './_helpers.js';

test('thousands of aborted waits do not accumulate; live waiters keep their order', async () => {
  const queue = new WaitQueue();
  const order: number[] = [];
  const live = [0, 1, 2].map((i) => queue.wait(new Parents(undefined)).then(() => order.push(i)));
  for (let i = 0; i < 10_000; i++) {
    const controller = new AbortController();
    const waiting = queue.wait(new Parents(controller.signal));
    controller.abort();
    await rejection(waiting);
    if (i === 5_000) live.push(queue.wait(new Parents(undefined)).then(() => order.push(3)));
  }
  assert.equal(queue.length, 4);
  assert.ok(queue.held < 200, `the deque holds ${queue.held} entries`);
  queue.wakeAll();
  await Promise.all(live);
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.equal(queue.held, 0);
});
