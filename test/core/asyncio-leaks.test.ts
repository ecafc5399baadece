// Every wait of the asyncio toolbox leaves no abort listener behind, whether it is granted or
// cancelled, and a cancelled wait rejects with CancelledError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Barrier, CancelledError, Condition, Event, Lock, Queue, Semaphore, type SignalOptions } from '../../src/core/index.js';
import { abortListeners, rejection } from './_helpers.js';

type Waits = Record<string, { wait: (options: SignalOptions) => Promise<unknown>; grant: () => unknown }>;

async function blockedWaits(): Promise<Waits> {
  const lock = new Lock();
  await lock.acquire();
  const sem = new Semaphore(0);
  const event = new Event();
  const cond = new Condition();
  await cond.acquire();
  const barrier = new Barrier(2);
  const empty = new Queue<number>();
  const full = new Queue<number>(1);
  full.putNowait(0);
  const unfinished = new Queue<number>();
  unfinished.putNowait(0);
  unfinished.getNowait();
  return {
    'Lock#acquire': { wait: (o) => lock.acquire(o), grant: () => lock.release() },
    'Semaphore#acquire': { wait: (o) => sem.acquire(o), grant: () => sem.release() },
    'Event#wait': { wait: (o) => event.wait(o), grant: () => event.set() },
    'Condition#wait': { wait: (o) => cond.wait(o), grant: () => cond.use(() => cond.notify()) },
    'Barrier#wait': { wait: (o) => barrier.wait(o), grant: () => void barrier.wait() },
    'Queue#get': { wait: (o) => empty.get(o), grant: () => empty.putNowait(1) },
    'Queue#put': { wait: (o) => full.put(1, o), grant: () => full.getNowait() },
    'Queue#join': { wait: (o) => unfinished.join(o), grant: () => unfinished.taskDone() },
  };
}

test('a granted wait leaves no listener; a cancelled one rejects with CancelledError and leaves none', async () => {
  for (const [name, { wait, grant }] of Object.entries(await blockedWaits())) {
    const controller = new AbortController();
    const waiting = wait({ signal: controller.signal });
    assert.equal(abortListeners(controller.signal), 1, `${name}: listening while it waits`);
    await grant();
    await waiting;
    assert.equal(abortListeners(controller.signal), 0, `${name}: granted`);
  }
  for (const [name, { wait }] of Object.entries(await blockedWaits())) {
    const controller = new AbortController();
    const waiting = wait({ signal: controller.signal });
    controller.abort('stop');
    assert.ok((await rejection(waiting)) instanceof CancelledError, name);
    assert.equal(abortListeners(controller.signal), 0, `${name}: cancelled`);
  }
});
