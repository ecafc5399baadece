import type { SignalOptions } from './event.js';
import { Semaphore } from './semaphore.js';

/**
 * A mutual-exclusion lock: asyncio's `Lock`. One holder at a time, waiters served strictly first
 * come, first served, abortable; a waiter cancelled after `release()` picked it passes the lock on.
 * Releasing a lock nobody holds is an error.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * await gather(files.map((file) => () => lock.use(() => appendFile(log, file))));
 * ```
 */
export class Lock {
  readonly #permit = new Semaphore(1);

  /** True while somebody holds the lock (or it is being handed to the next waiter). */
  locked(): boolean {
    return this.#permit.value === 0;
  }

  /** How many are waiting for the lock. */
  get waiting(): number {
    return this.#permit.waiting;
  }

  /** Waits for the lock; rejects with `CancelledError` if the signal (explicit or ambient) aborts first. */
  acquire(options?: SignalOptions): Promise<void> {
    return this.#permit.acquire(options);
  }

  /** Releases the lock, handing it to the first waiter if there is one. Throws if it is not held. */
  release(): void {
    if (!this.locked()) throw new Error('Lock is not acquired: release() only what you acquire()d');
    this.#permit.release();
  }

  /**
   * Runs `fn` holding the lock and releases it however `fn` ends: `async with lock:`.
   *
   * @example
   * ```ts
   * const total = await lock.use(async () => (balance += await deposit()));
   * ```
   */
  use<T>(fn: () => T | PromiseLike<T>, options?: SignalOptions): Promise<Awaited<T>> {
    return this.#permit.use(fn, options);
  }
}
