import { abortedOf, onAbort, signalsFor } from './abort.js';
import { Deque } from './deque.js';
import { CancelledError, TimeoutError, cancelledErrorOf, toError } from './errors.js';
import { Task } from './task.js';
import { isThenable, type Settled } from './types.js';
import { checkBoolean, checkMs, checkOptions, checkSignal, describe } from './validate.js';

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
 * jobs (started here) or values. A failure is thrown from the loop (or yielded as an Error with
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
  if (typeof inputs !== 'object' || inputs === null || typeof (inputs as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`Expected \`inputs\` of asCompleted() to be an iterable, got ${describe(inputs)}`);
  }
  const items = Array.from(inputs);
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
    for (const item of items) if (isThenable(item)) Promise.resolve(item).then(undefined, () => {});
    throw error;
  }
  const [explicit, ambient] = signalsFor(signal);

  const done = new Deque<Outcome>();
  const owned: Task<unknown>[] = [];
  let remaining = items.length;
  let wake: (() => void) | undefined;
  let ended: { error: unknown } | undefined; // timeout, cancel or early exit
  let closed = false; // the consumer left (return() or a thrown failure): nothing more is yielded
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening = (): void => {};

  const settle = (ok: boolean, value: unknown): void => {
    if (--remaining === 0) clearTimeout(timer); // all settled in time: a slow consumer still gets every result
    if (ended) return; // settled after the deadline or the cancel: the cancellation we caused, not a result
    done.push({ ok, value });
    const w = wake;
    wake = undefined;
    w?.();
  };
  const aborted = abortedOf(explicit, ambient);
  for (const item of items) {
    const work = typeof item === 'function' ? new Task(item as (signal: AbortSignal) => unknown) : item;
    if (work instanceof Task && work !== item) owned.push(work);
    if (isThenable(work)) Promise.resolve(work).then((v) => settle(true, v), (e: unknown) => settle(false, e));
    else settle(true, work);
  }
  if (aborted) end(cancelledErrorOf(aborted));
  else {
    if (ms <= 0x7fffffff && remaining > 0) timer = setTimeout(() => end(new TimeoutError(ms)), ms);
    stopListening = onAbort(explicit, ambient, (parent) => end(cancelledErrorOf(parent)));
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
