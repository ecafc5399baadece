import { parentsFromOptions } from './abort.js';
import { cancelledErrorOf } from './errors.js';
import { timerFor } from './shared.js';
import { checkMs, describe } from './validate.js';

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** Cancels the sleep: it rejects with `CancelledError` and its timer is cleared. */
  signal?: AbortSignal;
}

/**
 * Resolves with `value` after `ms` milliseconds, like `asyncio.sleep(delay, result)`. Rejects with
 * `CancelledError` as soon as `signal` or the ambient signal (inside a gather job, task or TaskGroup)
 * aborts, and clears its timer, so nothing is left behind.
 *
 * @example
 * ```ts
 * const answer = await sleep(100, 42); // 42, 100 ms later
 * await sleep(10_000, undefined, { signal: AbortSignal.timeout(50) }); // rejects with CancelledError
 * ```
 */
export function sleep<T = void>(ms: number, value?: T, options?: SleepOptions): Promise<T> {
  if (ms === undefined || ms === null) {
    // checkMs reads a missing value as "no deadline"; a missing sleep duration is a mistake, not "forever"
    throw new TypeError(`Expected \`ms\` to be a number of milliseconds from 0 and up (or Infinity), got ${describe(ms)}`);
  }
  const delay = checkMs('ms', ms);
  const parents = parentsFromOptions('sleep()', options);
  const cancelled = parents.cancelled();
  if (cancelled) return Promise.reject(cancelled);
  return new Promise<T>((resolve, reject) => {
    // Longer (or infinite) sleeps than setTimeout takes simply wait for cancellation.
    const timer = timerFor(delay, done);
    const stopListening = parents.onAbort((signal) => {
      clearTimeout(timer);
      reject(cancelledErrorOf(signal));
    });
    function done(): void {
      stopListening();
      resolve(value as T);
    }
  });
}
