import { Parents } from './abort.js';
import { Deque } from './deque.js';
import { CancelledError, TimeoutError, cancelledErrorOf, toError } from './errors.js';
import { Task } from './task.js';
import { noop, timerFor } from './shared.js';
import { isThenable, type Settled } from './types.js';
import { checkBoolean, checkIterable, checkMs, checkOptions, checkSignal } from './validate.js';

/** Options of {@link asCompleted}. */
export interface AsCompletedOptions {
  /** Milliseconds for the whole iteration; past it the loop throws `TimeoutError`. Default: none. */
  timeout?: number;
  /** Cancels the iteration (and the jobs it started): the loop throws `CancelledError`. */
  signal?: AbortSignal;
  /** Yield failures as Error values instead of throwing the first one. Default false. */
  returnExceptions?: boolean;
}

type Outcome = { ok: boolean; value: unknown };

/**
 * Yields results in the order they complete: asyncio's `as_completed`. Inputs are promises, Tasks,
 * jobs (started here) or values. As in asyncio, the same job, promise or Task passed twice runs once
 * and is yielded once (plain values are yielded each time). A failure is thrown from the loop (or yielded as an Error with
 * `returnExceptions`). Leaving the loop early, a timeout, or a cancel cancels the jobs this call
 * started and waits for them; promises and Tasks you passed in are yours and keep running.
 *
 * @example
 * ```ts
 * for await (const page of asCompleted(urls.map((url) => (signal: AbortSignal) => fetchTitle(url, signal)), { timeout: 5_000 })) {
 *   console.log(page); // fastest first
 * }
 * ```
 */
export function asCompleted<T>(inputs: Iterable<T>, options: AsCompletedOptions & { returnExceptions: true }): AsyncIterableIterator<Settled<T> | Error>;
export function asCompleted<T>(inputs: Iterable<T>, options?: AsCompletedOptions): AsyncIterableIterator<Settled<T>>;
export function asCompleted<T>(inputs: Iterable<T>, options?: AsCompletedOptions): AsyncIterableIterator<unknown> {
  const items = Array.from(checkIterable<T>('inputs', 'asCompleted()', inputs));
  let ms: number;
  let returnExceptions: boolean;
  let signal: AbortSignal | undefined;
  try {
    const checked = checkOptions('asCompleted()', options, ['timeout', 'signal', 'returnExceptions']) as AsCompletedOptions;
    ms = checkMs('timeout', checked.timeout);
    returnExceptions = checkBoolean('returnExceptions', checked.returnExceptions);
    signal = checkSignal('signal', checked.signal);
    const index = items.indexOf(undefined as T);
    if (index !== -1) {
      throw new TypeError(`asCompleted() inputs[${index}] is undefined: did a .map() callback forget to \`return\`?`);
    }
  } catch (error) {
    // the caller's promises must not turn into unhandled rejections
    for (const item of items) if (isThenable(item)) Promise.resolve(item).then(undefined, noop);
    throw error;
  }
  const parents = new Parents(signal);

  const done = new Deque<Outcome>();
  const owned: Task<unknown>[] = [];
  let remaining = items.length;
  let wake: (() => void) | undefined;
  let ended: { error: unknown } | undefined; // timeout, cancel or early exit
  let closed = false; // the consumer left (return() or a thrown failure): nothing more is yielded
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening = noop;

  const settle = (ok: boolean, value: unknown): void => {
    if (--remaining === 0) clearTimeout(timer); // all settled in time: a slow consumer still gets every result
    if (ended) return; // settled after the deadline or the cancel: the cancellation we caused, not a result
    done.push({ ok, value });
    const w = wake;
    wake = undefined;
    w?.();
  };
  const cancelled = parents.cancelled();
  const seen = new Set<unknown>();
  for (const item of items) {
    if (typeof item === 'function' || isThenable(item)) {
      // asyncio's as_completed takes a set: the same job or promise twice runs once and yields once
      if (seen.has(item)) {
        remaining--;
        continue;
      }
      seen.add(item);
    }
    const work = typeof item === 'function' ? new Task(item as (signal: AbortSignal) => unknown) : item;
    if (work instanceof Task && work !== item) owned.push(work);
    if (isThenable(work)) Promise.resolve(work).then((v) => settle(true, v), (e: unknown) => settle(false, e));
    else settle(true, work);
  }
  if (cancelled) end(cancelled);
  else {
    if (remaining > 0) timer = timerFor(ms, () => end(new TimeoutError(ms)));
    stopListening = parents.onAbort((parent) => end(cancelledErrorOf(parent)));
  }

  function end(error: unknown): void {
    if (ended) return;
    ended = { error };
    cleanup();
    const reason = error instanceof CancelledError ? error : new CancelledError(error, 'cancelled: asCompleted() ended');
    for (const task of owned) task.cancel(reason);
    const w = wake;
    wake = undefined;
    w?.();
  }
  function cleanup(): void {
    clearTimeout(timer);
    stopListening();
  }
  async function drainOwned(): Promise<void> {
    await Promise.all(owned.map((task) => task.then(undefined, () => undefined)));
  }

  const iterator: AsyncIterableIterator<unknown> = {
    async next(): Promise<IteratorResult<unknown>> {
      for (;;) {
        if (closed) return { done: true, value: undefined };
        // Results that completed before a timeout or cancel are still yielded first, as asyncio does.
        const outcome = done.shift();
        if (outcome) {
          if (outcome.ok) return { done: false, value: outcome.value };
          if (returnExceptions) return { done: false, value: toError(outcome.value) };
          closed = true;
          end(undefined);
          await drainOwned();
          throw outcome.value;
        }
        if (ended) {
          await drainOwned();
          if (ended.error === undefined) return { done: true, value: undefined };
          const { error } = ended;
          ended = { error: undefined };
          throw error;
        }
        if (remaining === 0) {
          cleanup();
          return { done: true, value: undefined };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return(): Promise<IteratorResult<unknown>> {
      closed = true;
      end(undefined);
      await drainOwned();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
