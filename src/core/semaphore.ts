import { parentsFromOptions, type Parents } from './abort.js';
import { checkFunction, checkNonNegativeInteger } from './validate.js';
import { WaitQueue } from './waiters.js';

/** Options of {@link Semaphore.acquire} and {@link Semaphore.use}. */
export interface AcquireOptions {
  /** Gives up waiting: the acquire rejects with `CancelledError` and leaves the queue. */
  signal?: AbortSignal;
}

const acquired = Promise.resolve();

/**
 * A counting semaphore, like `asyncio.Semaphore`: at most `value` holders at once. Waiters are
 * served strictly first come, first served; a permit freed while others wait goes to the first of
 * them, never to a newcomer. Waiting is abortable (explicit or ambient signal); a waiter cancelled
 * after `release()` chose it, before it resumed, raises `CancelledError` and passes the permit on
 * (gh-90155): its body never runs and no permit is lost.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(10);
 * const pages = await gather(urls.map((url) => () => slots.use(() => fetch(url))));
 * ```
 */
export class Semaphore {
  #value: number;
  readonly #waiters = new WaitQueue();

  /** @param value how many holders may hold the semaphore at once (default 1: a lock). */
  constructor(value = 1) {
    this.#value = checkNonNegativeInteger('value', value);
  }

  /** Permits free right now. */
  get value(): number {
    return this.#value;
  }

  /** How many acquirers are waiting. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** True when an `acquire()` now would wait. */
  locked(): boolean {
    return this.#value === 0 || this.#waiters.length > 0;
  }

  /** Takes a permit if one is free and nobody is queued; never waits. */
  tryAcquire(): boolean {
    if (this.locked()) return false;
    this.#value--;
    return true;
  }

  /**
   * Waits for a permit. Rejects with `CancelledError` if the signal (explicit or ambient) aborts
   * first; a permit is never lost that way.
   */
  acquire(options?: AcquireOptions): Promise<void> {
    return this.#acquire(parentsFromOptions('Semaphore#acquire()', options));
  }

  #acquire(parents: Parents): Promise<void> {
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.tryAcquire()) return acquired;
    // Cancelled after release() picked us: the permit goes to the next waiter.
    return this.#waiters.wait(parents, () => this.release());
  }

  /** Returns a permit, waking the first waiter if there is one. */
  release(): void {
    if (!this.#waiters.wakeOne()) this.#value++;
  }

  /**
   * Runs `fn` holding a permit and releases it however `fn` ends: the `async with semaphore:` of
   * asyncio.
   *
   * @example
   * ```ts
   * const lock = new Semaphore(1);
   * await lock.use(async () => { await writeFile(path, data); });
   * ```
   */
  async use<T>(fn: () => T | PromiseLike<T>, options?: AcquireOptions): Promise<Awaited<T>> {
    checkFunction('fn', fn);
    const parents = parentsFromOptions('Semaphore#use()', options);
    await this.#acquire(parents);
    try {
      // Cancelled while the permit was on its way to us (gh-90155): the body never runs.
      const cancelled = parents.cancelled();
      if (cancelled) throw cancelled;
      return await fn();
    } finally {
      this.release();
    }
  }
}

/**
 * A {@link Semaphore} that refuses to be released more times than it was acquired, like
 * `asyncio.BoundedSemaphore`: an over-release is a bug, reported at once as a RangeError.
 *
 * @example
 * ```ts
 * const slots = new BoundedSemaphore(2);
 * slots.release(); // RangeError: BoundedSemaphore released more times than it was acquired
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  readonly #initial: number;

  constructor(value = 1) {
    super(value);
    this.#initial = value;
  }

  override release(): void {
    if (this.value >= this.#initial) {
      throw new RangeError(
        `BoundedSemaphore released more times than it was acquired (initial value ${this.#initial}); release only what you acquired`,
      );
    }
    super.release();
  }
}
