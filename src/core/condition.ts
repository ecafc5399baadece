import { parentsFromOptions } from './abort.js';
import type { SignalOptions } from './event.js';
import { Lock } from './lock.js';
import { shielded } from './shield.js';
import { checkFunction, checkNonNegativeInteger } from './validate.js';
import { WaitQueue } from './waiters.js';

/**
 * A condition variable: asyncio's `Condition`. Tasks holding its lock `wait()` until another task
 * `notify()`s them; waiting releases the lock and re-acquires it before returning, also when the
 * wait is cancelled (the lock is held again when `CancelledError` reaches you, as in asyncio). A
 * waiter notified but cancelled before it resumed passes the notification to the next waiter.
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * const items: string[] = [];
 * const consumer = createTask(() => cond.use(async () => { await cond.waitFor(() => items.length > 0); return items.shift(); }));
 * await cond.use(() => { items.push('job'); cond.notify(); });
 * await consumer; // 'job'
 * ```
 */
export class Condition {
  readonly #lock: Lock;
  readonly #waiters = new WaitQueue();

  /** @param lock the lock to use (shared with other code); a new one by default. */
  constructor(lock: Lock = new Lock()) {
    if (!(lock instanceof Lock)) throw new TypeError('Expected `lock` of Condition to be a Lock');
    this.#lock = lock;
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /** How many tasks wait to be notified. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Acquires the underlying lock. */
  acquire(options?: SignalOptions): Promise<void> {
    return this.#lock.acquire(options);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  /** Runs `fn` holding the lock: `async with condition:`. */
  use<T>(fn: () => T | PromiseLike<T>, options?: SignalOptions): Promise<Awaited<T>> {
    return this.#lock.use(fn, options);
  }

  /**
   * Releases the lock, waits to be notified, re-acquires the lock, resolves with `true`. Call it
   * holding the lock. On cancellation the lock is re-acquired before the `CancelledError` is thrown.
   */
  async wait(options?: SignalOptions): Promise<true> {
    this.#mustHoldLock('wait');
    const parents = parentsFromOptions('Condition#wait()', options);
    const cancelled = parents.cancelled();
    if (cancelled) throw cancelled;
    this.release();
    let failure: { error: unknown } | undefined;
    try {
      await this.#waiters.wait(parents, () => this.#waiters.wakeOne());
    } catch (error) {
      failure = { error };
    }
    // The caller holds the lock again whatever happened; its cancelled scope must not stop that.
    await shielded(() => this.#lock.acquire());
    if (failure) throw failure.error;
    const cancelledMeanwhile = parents.cancelled(); // while re-acquiring: reported now, lock held (asyncio)
    if (cancelledMeanwhile) throw cancelledMeanwhile;
    return true;
  }

  /**
   * Waits until `predicate()` is truthy and resolves with its value; the predicate is checked first
   * and after every wake. Call it holding the lock.
   */
  async waitFor<R>(predicate: () => R, options?: SignalOptions): Promise<R> {
    checkFunction('predicate', predicate);
    let result = predicate();
    while (!result) {
      await this.wait(options);
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters (default 1), in arrival order. Call it holding the lock. */
  notify(n = 1): void {
    this.#mustHoldLock('notify');
    checkNonNegativeInteger('n', n);
    for (let i = 0; i < n && this.#waiters.wakeOne(); i++);
  }

  /** Wakes every waiter. Call it holding the lock. */
  notifyAll(): void {
    this.#mustHoldLock('notifyAll');
    this.#waiters.wakeAll();
  }

  #mustHoldLock(what: string): void {
    if (!this.#lock.locked()) throw new Error(`Condition#${what}() needs the lock: call it inside condition.use(...) or after acquire()`);
  }
}
