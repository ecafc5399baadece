import { Parents } from './abort.js';
import { cancelledErrorOf, isCancellation } from './errors.js';
import { noop, timerFor } from './shared.js';
import { Task } from './task.js';
import { isThenable, type Job } from './types.js';
import { checkIterable, checkMs, checkOptions, checkSignal, describe } from './validate.js';

/** When {@link wait} returns: asyncio's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`. */
export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';

const RETURN_WHEN: readonly ReturnWhen[] = ['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED'];

/** Options of {@link wait}. */
export interface WaitOptions {
  /** Default `'ALL_COMPLETED'`. `'FIRST_EXCEPTION'` counts failures, not cancellations (as asyncio), and is `'ALL_COMPLETED'` when nothing fails. */
  returnWhen?: ReturnWhen;
  /** Milliseconds at most; then resolves with what is done so far. Nothing is cancelled. Default: none. */
  timeout?: number;
  /** Cancels the wait: rejects with `CancelledError` once the Tasks it started for jobs are cancelled and settled. */
  signal?: AbortSignal;
}

/** What {@link wait} resolves to: the awaitables that have settled, and those that have not. */
export interface WaitResult<A> {
  done: Set<A>;
  pending: Set<A>;
}

/** A wait() input as it appears in `done` / `pending`: a job becomes the Task that runs it. */
export type Started<X> = X extends Job<infer R> ? Task<Awaited<R>> : X;

/**
 * Waits for awaitables without collecting their results: asyncio's `wait`. Resolves to
 * `{ done, pending }`, two Sets holding the Tasks and promises you passed (and, for each job, the
 * Task started for it), once `returnWhen` holds or `timeout` passes. Pending work is NOT cancelled:
 * it is yours to await or cancel. The same awaitable twice counts once. Awaitables that fail are in
 * `done`; await them to get the error (it is never an unhandled rejection).
 *
 * @example
 * ```ts
 * const { done, pending } = await wait([fetchA, fetchB], { returnWhen: 'FIRST_COMPLETED' });
 * const winner = await [...done][0];
 * for (const task of pending) task.cancel();
 * ```
 */
export function wait<X extends PromiseLike<unknown> | Job<unknown>>(
  inputs: Iterable<X>,
  options?: WaitOptions,
): Promise<WaitResult<Started<X>>> {
  const items = Array.from(checkIterable<X>('inputs', 'wait()', inputs));
  let returnWhen: ReturnWhen;
  let ms: number;
  let parents: Parents;
  try {
    const checked = checkOptions('wait()', options, ['returnWhen', 'timeout', 'signal']) as WaitOptions;
    returnWhen = checked.returnWhen ?? 'ALL_COMPLETED';
    if (!RETURN_WHEN.includes(returnWhen)) {
      throw new TypeError(`Expected \`returnWhen\` to be one of ${RETURN_WHEN.map((r) => `'${r}'`).join(', ')}, got ${describe(returnWhen)}`);
    }
    ms = checkMs('timeout', checked.timeout);
    parents = new Parents(checkSignal('signal', checked.signal));
    if (items.length === 0) throw new RangeError('wait() needs at least one awaitable, got an empty iterable');
    items.forEach((item, i) => {
      if (typeof item !== 'function' && !isThenable(item)) {
        throw new TypeError(`wait() inputs[${i}] is ${describe(item)}: pass Tasks, promises or jobs \`(signal) => value\``);
      }
    });
  } catch (error) {
    for (const item of items) if (isThenable(item)) Promise.resolve(item).then(undefined, noop);
    throw error;
  }
  const cancelled = parents.cancelled();
  if (cancelled) {
    for (const item of items) if (isThenable(item)) Promise.resolve(item).then(undefined, noop);
    return Promise.reject(cancelled);
  }
  const owned: Task<unknown>[] = [];
  const all = new Set<Started<X>>();
  for (const item of new Set(items)) {
    if (typeof item === 'function') {
      const task = new Task(item as Job<unknown>);
      owned.push(task);
      all.add(task as Started<X>);
    } else {
      all.add(item as Started<X>);
    }
  }
  return new Promise<WaitResult<Started<X>>>((resolve, reject) => {
    const done = new Set<Started<X>>();
    const pending = new Set(all);
    let over = false;
    const timer = timerFor(ms, finish);
    const stopListening = parents.onAbort((parent) => {
      end();
      const error = cancelledErrorOf(parent);
      for (const task of owned) task.cancel(error);
      Promise.all(owned.map((task) => task.then(noop, noop))).then(() => reject(error));
    });
    function end(): void {
      over = true;
      clearTimeout(timer);
      stopListening();
    }
    function finish(): void {
      if (over) return;
      end();
      resolve({ done, pending });
    }
    function settled(item: Started<X>, failed: boolean): void {
      if (over) return;
      pending.delete(item);
      done.add(item);
      if (pending.size === 0 || returnWhen === 'FIRST_COMPLETED' || (failed && returnWhen === 'FIRST_EXCEPTION')) {
        // One more turn, so that awaitables settling together are all in `done` (asyncio checks them all).
        queueMicrotask(finish);
      }
    }
    for (const item of all) {
      Promise.resolve(item as PromiseLike<unknown>).then(
        () => settled(item, false),
        (error: unknown) => settled(item, !isCancellation(error)),
      );
    }
  });
}
