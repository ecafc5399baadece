import { abortedOf, onAbort, signalsFor } from './abort.js';
import { Deque } from './deque.js';
import { cancelledErrorOf } from './errors.js';
import { checkFunction, checkNonNegativeInteger, checkOptions, checkSignal } from './validate.js';

/** Options of {@link Semaphore.acquire} and {@link Semaphore.use}. */
export interface AcquireOptions {
  /** Gives up waiting: the acquire rejects with `CancelledError` and leaves the queue. */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: () => void;
  /** False once the waiter gave up (aborted); release skips it. */
  waiting: boolean;
  stopListening: () => void;
}

/**
 * A counting semaphore, like `asyncio.Semaphore`: at most `value` holders at once. Waiters are
 * served strictly first come, first served; a permit freed while others wait goes to the first of
 * them, never to a newcomer. Waiting is abortable (explicit or ambient signal).
 *
 * @example
 * ```ts
 * const slots = new Semaphore(10);
 * const pages = await gather(urls.map((url) => () => slots.use(() => fetch(url))));
 * ```
 */
export class Semaphore {
  #value: number;
  #waiters = new Deque<Waiter>();
  #waiting = 0;

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
    return this.#waiting;
  }

  /** True when an `acquire()` now would wait. */
  locked(): boolean {
    return this.#value === 0 || this.#waiting > 0;
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
    const { signal } = checkOptions('Semaphore#acquire()', options, ['signal']) as AcquireOptions;
    const [explicit, ambient] = signalsFor(checkSignal('signal', signal));
    const aborted = abortedOf(explicit, ambient);
    if (aborted) return Promise.reject(cancelledErrorOf(aborted));
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, waiting: true, stopListening: () => {} };
      waiter.stopListening = onAbort(explicit, ambient, (abortedSignal) => {
        waiter.waiting = false;
        this.#waiting--;
        reject(cancelledErrorOf(abortedSignal));
      });
      this.#waiters.push(waiter);
      this.#waiting++;
    });
  }

  /** Returns a permit, waking the first waiter if there is one. */
  release(): void {
    for (;;) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) break;
      if (!waiter.waiting) continue; // gave up while queued
      waiter.waiting = false;
      this.#waiting--;
      waiter.stopListening();
      waiter.resolve();
      return;
    }
    this.#value++;
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
    await this.acquire(options);
    try {
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
