// Shared helpers of the core tests. Timers here come from Node, never from the code under test.
import { getEventListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { createTask } from '../../src/core/index.js';

export { delay };

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets `n` macrotasks pass (every pending microtask and immediate runs in between). */
export async function macrotasks(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** How many 'abort' listeners `signal` holds right now. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** How many active timers the process holds right now. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/** Settles `promise` into a value: `{ ok, value }` or `{ ok: false, error }`, and the time it took. */
export async function settle<T>(promise: PromiseLike<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  const outcome = await settle(promise);
  if (outcome.ok) throw new Error(`expected a rejection, got ${String(outcome.value)}`);
  return outcome.error;
}

/** Counts calls that run at once: wrap each call's body in `track.run(...)`. */
export class ConcurrencyTracker {
  running = 0;
  max = 0;
  started = 0;

  async run<T>(body: () => Promise<T>): Promise<T> {
    this.running++;
    this.started++;
    this.max = Math.max(this.max, this.running);
    try {
      return await body();
    } finally {
      this.running--;
    }
  }
}

/** Installs an `unhandledRejection` spy; `stop()` removes it and returns what it saw. */
export function spyUnhandled(): { seen: unknown[]; stop: () => unknown[] } {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    seen,
    stop: () => {
      process.off('unhandledRejection', listener);
      return seen;
    },
  };
}

/** A job that waits `ms` (honouring its signal) and records its life in `log`. */
export function loggedJob<T>(
  log: string[],
  name: string,
  ms: number,
  value: T,
  cleanupMs = 0,
): (signal: AbortSignal) => Promise<T> {
  return async (signal) => {
    log.push(`${name}:start`);
    try {
      await delay(ms, undefined, { signal });
      log.push(`${name}:done`);
      return value;
    } catch (error) {
      log.push(`${name}:aborted`);
      throw error;
    } finally {
      if (cleanupMs > 0) await delay(cleanupMs);
      log.push(`${name}:finally`);
    }
  };
}

/**
 * asyncio's `task = create_task(x.acquire()); loop.call_soon(task.cancel)`: runs `job` as a task,
 * cancels it on the next macrotask, and returns what it rejected with (fails if it resolved).
 */
export async function cancelledSoon(job: () => Promise<unknown>): Promise<unknown> {
  const task = createTask(job);
  setImmediate(() => task.cancel());
  return rejection(task);
}
