/**
 * The shared vocabulary of the core: jobs (the analogue of a coroutine object that has not started)
 * and what gather makes of each kind of input.
 */

/**
 * Work that has not started: a function that takes the AbortSignal that cancels it. gather, map,
 * createTask and TaskGroup start jobs themselves, so they can cancel them and bound how many run.
 *
 * @example
 * ```ts
 * const job: Job<number> = async (signal) => (await fetch(url, { signal })).status;
 * ```
 */
export type Job<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** What one gather input settles to: a job's awaited return value, or the awaited input itself. */
export type Settled<X> = X extends (signal: AbortSignal) => infer R ? Awaited<R> : Awaited<X>;

/** The result tuple of gather over a tuple of inputs, slot by slot. */
export type GatherResults<T extends readonly unknown[]> = { -readonly [K in keyof T]: Settled<T[K]> };

/** The result tuple with `returnExceptions: true`: every slot may hold the Error instead. */
export type GatherResultsOrErrors<T extends readonly unknown[]> = { -readonly [K in keyof T]: Settled<T[K]> | Error };

/** True for objects with a callable `then` (promises, Tasks, other thenables). Functions are jobs, not thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
