import { Parents } from './abort.js';
import { CancelledError, TimeoutError, cancelledErrorOf } from './errors.js';
import { noop, timerFor } from './shared.js';
import { Task } from './task.js';
import { isThenable, type Job } from './types.js';
import { checkFunction, checkMs, checkOptions, checkSignal, describe } from './validate.js';

/** Options of {@link waitFor} and {@link timeout}. */
export interface DeadlineOptions {
  /** Cancels the wait (and the work, if it is a job or Task): rejects with `CancelledError`. */
  signal?: AbortSignal;
}

/**
 * Waits for `awaitable` at most `ms` milliseconds: asyncio's `wait_for`. On expiry a job or Task
 * is cancelled AND awaited, so that when `TimeoutError` is thrown nothing is left running. A plain
 * promise cannot be cancelled: it is only no longer waited for.
 *
 * @example
 * ```ts
 * const body = await waitFor((signal) => fetch(url, { signal }).then((r) => r.text()), 2_000);
 * ```
 */
export function waitFor<T>(awaitable: Job<T> | PromiseLike<T> | T, ms: number | null, options?: DeadlineOptions): Promise<Awaited<T>> {
  let delay: number;
  let signal: AbortSignal | undefined;
  try {
    delay = checkMs('ms', ms);
    signal = checkSignal('signal', (checkOptions('waitFor()', options, ['signal']) as DeadlineOptions).signal);
  } catch (error) {
    // the caller's promise must not turn into an unhandled rejection
    if (isThenable(awaitable)) Promise.resolve(awaitable).then(undefined, noop);
    throw error;
  }
  if (awaitable === undefined) {
    throw new TypeError('waitFor() got `undefined` to wait for: did you forget to `return` a promise? Pass a promise, a Task or a job');
  }
  return withDeadline(awaitable as Job<Awaited<T>> | PromiseLike<Awaited<T>> | Awaited<T>, delay, signal);
}

/**
 * Runs `job` with a deadline: asyncio's `async with timeout(ms):`. The job gets a signal (and an
 * ambient scope) that aborts at the deadline; the call rejects with `TimeoutError` once the job has
 * settled.
 *
 * @example
 * ```ts
 * const rows = await timeout(5_000, async () => { await sleep(100); return gather(jobs); });
 * ```
 */
export function timeout<T>(ms: number | null, job: Job<T>, options?: DeadlineOptions): Promise<Awaited<T>> {
  const delay = checkMs('ms', ms);
  checkFunction('job', job);
  const { signal } = checkOptions('timeout()', options, ['signal']) as DeadlineOptions;
  checkSignal('signal', signal);
  return withDeadline(job as Job<Awaited<T>>, delay, signal);
}

function withDeadline<T>(awaitable: Job<T> | PromiseLike<T> | T, ms: number, signal: AbortSignal | undefined): Promise<T> {
  const parents = new Parents(signal);
  const cancelled = parents.cancelled();
  if (cancelled) return Promise.reject(cancelled);
  // A job becomes a Task we own; a Task is cancelled on expiry as asyncio does; promises are raced.
  const owned =
    typeof awaitable === 'function' ? new Task(awaitable as Job<T>) : awaitable instanceof Task ? (awaitable as Task<T>) : undefined;
  const work: PromiseLike<T> = owned ?? (isThenable(awaitable) ? (awaitable as PromiseLike<T>) : Promise.resolve(awaitable as T));
  if (typeof awaitable === 'object' && awaitable !== null && !isThenable(awaitable) && owned === undefined) {
    // plain values resolve at once; nothing to time
    return Promise.resolve(awaitable as T);
  }
  return new Promise<T>((resolve, reject) => {
    let outcome: { error: unknown } | undefined; // set when the deadline or a cancel decided the result
    const timer = timerFor(ms, () => end(new TimeoutError(ms)));
    const stopListening = parents.onAbort((parent) => end(cancelledErrorOf(parent)));
    function end(error: unknown): void {
      if (outcome) return;
      outcome = { error };
      clearTimeout(timer);
      stopListening();
      if (owned) {
        owned.cancel(error instanceof CancelledError ? error : new CancelledError(error, `cancelled: ${describeError(error)}`));
      } else {
        reject(error);
      }
    }
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        stopListening();
        if (outcome) reject(outcome.error);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        stopListening();
        reject(outcome ? outcome.error : error);
      },
    );
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : describe(error);
}
