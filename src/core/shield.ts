import { onAbort } from './abort.js';
import { cancelledErrorOf } from './errors.js';
import { runOutsideScope } from './scope.js';
import { noop } from './shared.js';
import { RUN_EAGERLY, Task } from './task.js';
import { isThenable, type Job } from './types.js';
import { checkFunction, checkOptions, checkSignal, describe } from './validate.js';

/** Options of {@link shield}. */
export interface ShieldOptions {
  /** Cancels the outer wait (never the inner work). The ambient signal does too. */
  signal?: AbortSignal;
}

/**
 * Protects work from cancellation: asyncio's `shield`. Returns an outer Task that follows `inner`;
 * cancelling the outer (its `cancel()`, the `signal`, or the scope it was created in) rejects the
 * outer with `CancelledError` at once but does NOT cancel the inner work, which keeps running to its
 * end. A job is started here, outside the caller's scope, so nothing the caller cancels reaches it.
 * If the inner work is cancelled on its own, the outer is cancelled too. A Task already done is
 * returned as it is.
 *
 * @example
 * ```ts
 * const save = shield((signal) => db.commit(signal)); // survives the caller's cancellation
 * try { await save; } catch (error) { if (error instanceof CancelledError) console.log('still saving'); }
 * ```
 */
export function shield<T>(inner: Job<T> | PromiseLike<T>, options?: ShieldOptions): Task<Awaited<T>> {
  // Observed first: neither a bad call nor an outer cancelled before it ran may leak the inner's failure.
  if (isThenable(inner)) Promise.resolve(inner).then(undefined, noop);
  const { signal } = checkOptions('shield()', options, ['signal']) as ShieldOptions;
  checkSignal('signal', signal);
  let work: PromiseLike<Awaited<T>>;
  if (typeof inner === 'function') {
    work = shielded(() => new Task(inner as Job<Awaited<T>>));
  } else if (isThenable(inner)) {
    if (inner instanceof Task && inner.done()) return inner as Task<Awaited<T>>;
    work = inner as PromiseLike<Awaited<T>>;
  } else {
    throw new TypeError(`Expected \`inner\` of shield() to be a promise, a Task or a job, got ${describe(inner)}`);
  }
  const outer = (own: AbortSignal): Promise<Awaited<T>> =>
    new Promise<Awaited<T>>((resolve, reject) => {
      const stop = onAbort(own, undefined, (aborted) => reject(cancelledErrorOf(aborted)));
      work.then(
        (value) => {
          stop();
          resolve(value);
        },
        (error: unknown) => {
          stop();
          reject(error);
        },
      );
    });
  return new Task(outer, { signal, [RUN_EAGERLY]: true } as { signal?: AbortSignal });
}

/**
 * Runs `fn` outside the ambient signal: the shielded scope cleanup code needs after a cancellation.
 * Inside a cancelled job the ambient signal stays aborted, so a `sleep()`, `gather()` or `acquire()`
 * in a `finally` block would throw at once; inside `shielded(...)` they run normally. Returns what
 * `fn` returns. Bound the cleanup yourself if it may hang (`waitFor(..., ms)` inside, or a signal).
 *
 * @example
 * ```ts
 * await gather(async () => {
 *   try { await sleep(10_000); } finally {
 *     await shielded(async () => { await sleep(30); await flush(); }); // runs even when cancelled
 *   }
 * });
 * ```
 */
export function shielded<T>(fn: () => T): T {
  checkFunction('fn', fn);
  return runOutsideScope(fn);
}
