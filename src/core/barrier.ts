import { parentsFromOptions } from './abort.js';
import type { SignalOptions } from './event.js';
import { checkCount } from './validate.js';
import { WaitQueue } from './waiters.js';

/**
 * Thrown by {@link Barrier.wait} when the barrier is broken (`abort()`) or reset while waiting.
 *
 * @example
 * ```ts
 * try { await barrier.wait(); } catch (error) { if (error instanceof BrokenBarrierError) retry(); }
 * ```
 */
export class BrokenBarrierError extends Error {
  override readonly name = 'BrokenBarrierError';

  constructor(message = 'the barrier is broken (aborted or reset while waiting)') {
    super(message);
  }
}

/**
 * A barrier for `parties` tasks: asyncio's `Barrier`. Each `wait()` blocks until `parties` tasks
 * are waiting, then all pass together and the barrier is ready for the next round (cyclic). Each
 * waiter resolves to its arrival index, 0 to `parties - 1`. A waiter cancelled while the barrier
 * fills leaves it (the others keep waiting); `reset()` and `abort()` fail the waiters with
 * {@link BrokenBarrierError}.
 *
 * @example
 * ```ts
 * const barrier = new Barrier(3);
 * await gather([1, 2, 3].map((n) => async () => { await load(n); await barrier.wait(); return use(n); }));
 * ```
 */
export class Barrier {
  /** How many tasks must wait for the barrier to pass. */
  readonly parties: number;
  #broken = false;
  readonly #waiters = new WaitQueue();

  constructor(parties: number) {
    this.parties = checkCount('parties', parties, false);
  }

  /** How many tasks are waiting now. */
  get nWaiting(): number {
    return this.#waiters.length;
  }

  /** True after `abort()`, until `reset()`. */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Waits until `parties` tasks wait, then resolves with this task's arrival index. Rejects with
   * `BrokenBarrierError` if the barrier is or gets broken or reset, `CancelledError` if the signal
   * (explicit or ambient) aborts.
   */
  wait(options?: SignalOptions): Promise<number> {
    const parents = parentsFromOptions('Barrier#wait()', options);
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.#broken) return Promise.reject(new BrokenBarrierError());
    const index = this.#waiters.length;
    if (index + 1 === this.parties) {
      this.#waiters.wakeAll();
      return Promise.resolve(index);
    }
    return this.#waiters.wait(parents, undefined, () => index);
  }

  /** Back to the empty, unbroken state; tasks waiting now fail with `BrokenBarrierError`. */
  reset(): void {
    this.#waiters.rejectAll(new BrokenBarrierError('the barrier was reset while waiting'));
    this.#broken = false;
  }

  /** Breaks the barrier: current and future waits fail with `BrokenBarrierError` until `reset()`. */
  abort(): void {
    this.#broken = true;
    this.#waiters.rejectAll(new BrokenBarrierError());
  }
}
