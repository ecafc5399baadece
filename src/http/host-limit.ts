/**
 * The per-host limit: at most `perHost` requests in flight to one host (hostname and port). It is a
 * {@link Gate} for the scheduler (a URL starts only once its host has room, without holding a global
 * slot meanwhile), and it also hands out permits to redirect hops that move to another host inside
 * a running URL ({@link HostLimiter.acquire}). Both draw on the same count, so the limit holds
 * exactly; a hop waiting for a host goes before new URLs of that host (it already holds a slot).
 * Only busy hosts are tracked, so a crawl over a million hosts keeps only those in memory.
 */
import { cancelledErrorOf } from '../core/errors.js';
import { Deque } from '../core/deque.js';
import type { Gate } from './gate.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface HostState {
  inFlight: number;
  waiters: Deque<Waiter> | undefined;
}

/**
 * Per-host permits. With `perHost` = Infinity every call is free and nothing is tracked.
 *
 * @example
 * ```ts
 * const hosts = new HostLimiter(2);
 * if (hosts.tryTake('example.test:443', performance.now()) === true) {
 *   try { await fetchIt(); } finally { hosts.release('example.test:443'); }
 * }
 * await hosts.acquire('other.test', signal); // a redirect hop: waits for a permit
 * ```
 */
export class HostLimiter implements Gate {
  readonly #limit: number;
  readonly #hosts = new Map<string, HostState>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** False when there is no per-host limit: then nothing needs to be asked or released. */
  get limited(): boolean {
    return Number.isFinite(this.#limit);
  }

  /** Hosts with a request in flight or a waiter (for tests and diagnostics). */
  get size(): number {
    return this.#hosts.size;
  }

  /** Requests in flight to `host` right now. */
  inFlight(host: string): number {
    return this.#hosts.get(host)?.inFlight ?? 0;
  }

  tryTake(host: string): true | number {
    if (!this.limited) return true;
    const state = this.#hosts.get(host);
    if (state === undefined) {
      this.#hosts.set(host, { inFlight: 1, waiters: undefined });
      return true;
    }
    if (state.inFlight >= this.#limit || (state.waiters?.length ?? 0) > 0) return Number.POSITIVE_INFINITY;
    state.inFlight++;
    return true;
  }

  /** Waits for a permit to `host` (FIFO among waiters); rejects with CancelledError when `signal` aborts first. */
  acquire(host: string, signal?: AbortSignal): Promise<void> {
    if (this.tryTake(host) === true) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(cancelledErrorOf(signal));
    const state = this.#hosts.get(host) as HostState;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        waiter.reject(cancelledErrorOf(signal as AbortSignal));
      };
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          removeWaiter(state, waiter);
          this.#dropIfIdle(host, state);
          reject(error);
        },
      };
      (state.waiters ??= new Deque<Waiter>()).push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Returns a permit taken with {@link tryTake} or {@link acquire}: a waiting hop gets it first. */
  release(host: string): void {
    if (!this.limited) return;
    const state = this.#hosts.get(host);
    if (state === undefined) return;
    const next = state.waiters?.shift();
    if (next !== undefined) {
      next.resolve(); // the permit passes on: inFlight stays
      return;
    }
    state.inFlight--;
    this.#dropIfIdle(host, state);
  }

  #dropIfIdle(host: string, state: HostState): void {
    if (state.inFlight <= 0 && (state.waiters?.length ?? 0) === 0 && this.#hosts.get(host) === state) this.#hosts.delete(host);
  }
}

/** Removes an aborted waiter from its queue (rare: rebuilds the queue without it). */
function removeWaiter(state: HostState, waiter: Waiter): void {
  const waiters = state.waiters;
  if (waiters === undefined) return;
  const kept = new Deque<Waiter>();
  for (let w = waiters.shift(); w !== undefined; w = waiters.shift()) if (w !== waiter) kept.push(w);
  state.waiters = kept;
}
