/**
 * Ambient cancellation: the AbortSignal of the job that is running now, carried across `await`s by
 * AsyncLocalStorage. A job started by gather, createTask, TaskGroup or timeout runs inside its
 * signal's scope, so a `sleep()` or nested `gather()` it calls is cancelled with it without the
 * signal being threaded by hand.
 *
 * Why map does not install a scope: on Node 20 a running AsyncLocalStorage turns on promise hooks
 * for the whole process, which costs about 3x on tiny jobs. map, the hot path, hands its signal to
 * `fn` as an argument instead; work map runs inside a task still sees that task's scope.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<AbortSignal>();

/**
 * The AbortSignal of the gather job, task or TaskGroup the caller is running in, or undefined at the
 * top level. Pass it to APIs that take a signal (fetch, streams) so they are cancelled with you.
 *
 * @example
 * ```ts
 * await gather(async () => {
 *   const response = await fetch(url, { signal: currentSignal() });
 *   return response.status;
 * });
 * ```
 */
export function currentSignal(): AbortSignal | undefined {
  return storage.getStore();
}

/** Runs `fn(...args)` with `signal` as the ambient signal of everything it starts, across awaits. */
export function runInScope<A extends unknown[], T>(signal: AbortSignal, fn: (...args: A) => T, ...args: A): T {
  return storage.run(signal, fn, ...args);
}

/** Runs `fn()` outside every scope: neither it nor anything it starts sees an ambient signal. */
export function runOutsideScope<T>(fn: () => T): T {
  return storage.exit(fn);
}
