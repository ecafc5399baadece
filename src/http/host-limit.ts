/**
 * The per-host limit: at most `perHost` requests in flight to one host (hostname and port), FIFO.
 * One semaphore per host, created on first use and dropped when idle, so a crawl over a million
 * hosts keeps only the busy ones in memory.
 */
import { Semaphore } from '../core/semaphore.js';

/**
 * Per-host semaphores. With `perHost` = Infinity every call is free and nothing is tracked.
 *
 * @example
 * ```ts
 * const hosts = new HostLimiter(2);
 * await hosts.acquire('example.test:443', signal);
 * try { await fetchIt(); } finally { hosts.release('example.test:443'); }
 * ```
 */
export class HostLimiter {
  readonly #limit: number;
  readonly #slots = new Map<string, Semaphore>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** False when there is no per-host limit: then acquire() and release() need not be called. */
  get limited(): boolean {
    return Number.isFinite(this.#limit);
  }

  /** Waits for a slot to `host`; rejects with CancelledError when `signal` aborts first. */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.#limit)) return Promise.resolve();
    let slots = this.#slots.get(host);
    if (!slots) {
      slots = new Semaphore(this.#limit);
      this.#slots.set(host, slots);
    }
    const acquired = slots.acquire(signal ? { signal } : undefined);
    // A waiter that gave up may leave an idle semaphore behind: clean up on that path too.
    acquired.catch(() => this.#dropIfIdle(host, slots));
    return acquired;
  }

  /** Returns a slot taken with {@link acquire}. */
  release(host: string): void {
    if (!Number.isFinite(this.#limit)) return;
    const slots = this.#slots.get(host);
    if (!slots) return;
    slots.release();
    this.#dropIfIdle(host, slots);
  }

  /** Hosts with a holder or a waiter (for tests and diagnostics). */
  get size(): number {
    return this.#slots.size;
  }

  #dropIfIdle(host: string, slots: Semaphore): void {
    if (slots.value === this.#limit && slots.waiting === 0 && this.#slots.get(host) === slots) this.#slots.delete(host);
  }
}
