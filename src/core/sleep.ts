import { abortedOf, onAbort, signalsFor } from './abort.js';
import { cancelledErrorOf } from './errors.js';
import { checkMs, checkOptions, checkSignal, describe } from './validate.js';

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
  const { signal } = checkOptions('sleep()', options, ['signal']) as SleepOptions;
  const [explicit, ambient] = signalsFor(checkSignal('signal', signal));
  const aborted = abortedOf(explicit, ambient);
  if (aborted) return Promise.reject(cancelledErrorOf(aborted));
  return new Promise<T>((resolve, reject) => {
    // setTimeout takes at most 2^31-1 ms; longer (or infinite) sleeps simply wait for cancellation.
    const timer = delay <= 0x7fffffff ? setTimeout(done, delay) : undefined;
    const stopListening = onAbort(explicit, ambient, (signal) => {
      clearTimeout(timer);
      reject(cancelledErrorOf(signal));
    });
    function done(): void {
      stopListening();
      resolve(value as T);
    }
  });
}
