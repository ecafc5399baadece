import { parentsFromOptions } from './abort.js';
import { WaitQueue } from './waiters.js';

/** Options of the waits of {@link Event}, {@link Lock}, {@link Condition}, {@link Barrier} and `Queue`. */
export interface SignalOptions {
  /** Gives up waiting: the call rejects with `CancelledError` and leaves the queue. The ambient signal does too. */
  signal?: AbortSignal;
}

const alreadySet = Promise.resolve(true as const);

/**
 * A flag tasks can wait for: asyncio's `Event`. `set()` wakes every waiter (in arrival order) and
 * lets later waits through at once until `clear()`.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * const worker = createTask(async () => { await ready.wait(); return 'go'; });
 * ready.set();
 * await worker; // 'go'
 * ```
 */
export class Event {
  #set = false;
  readonly #waiters = new WaitQueue();

  /** True once `set()` was called and not `clear()`ed since. */
  isSet(): boolean {
    return this.#set;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    this.#waiters.wakeAll();
  }

  /** Clears the flag: later `wait()`s wait again. Waiters already woken are not affected. */
  clear(): void {
    this.#set = false;
  }

  /** How many are waiting. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves with `true` once the flag is set (at once if it is); abortable. */
  wait(options?: SignalOptions): Promise<true> {
    const parents = parentsFromOptions('Event#wait()', options);
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.#set) return alreadySet;
    return this.#waiters.wait(parents, undefined, () => true as const);
  }
}
