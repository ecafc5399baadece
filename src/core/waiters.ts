/**
 * The FIFO queue of waiters every synchronisation primitive is built on (Semaphore, Lock, Event,
 * Condition, Barrier, Queue): strictly first come, first served, abortable, no listener left behind.
 *
 * A wake is verified when the waiter resumes, as asyncio does since gh-90155: a waiter whose signal
 * aborts after `wakeOne()` chose it but before its continuation ran still fails with
 * `CancelledError`, and hands what it was given (a permit, a slot, a notification) back through
 * `onLost`, so the primitive passes it to the next waiter instead of losing it.
 */
import type { Parents } from './abort.js';
import { cancelledErrorOf } from './errors.js';
import { Deque } from './deque.js';
import { noop } from './shared.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  /** False once woken, rejected or aborted: wakeOne skips it. */
  waiting: boolean;
  stopListening: () => void;
}

/** Dead entries (aborted waiters still in the deque) tolerated before a compaction. */
const COMPACT_AFTER = 64;

export class WaitQueue {
  #waiters = new Deque<Waiter>();
  #count = 0;
  /** Aborted waiters still in the deque: compacted away once they outnumber the live ones. */
  #dead = 0;

  /** Waiters still waiting (not woken, not gone). */
  get length(): number {
    return this.#count;
  }

  /** Entries the deque holds, live or aborted (for tests: a loop of timed-out waits must not grow it). */
  get held(): number {
    return this.#waiters.length;
  }

  /**
   * Waits until {@link wakeOne} or {@link wakeAll} picks this waiter, then resolves with `resume()`
   * (run when the waiter resumes: where a queue takes its item). Rejects with `CancelledError` when
   * a parent signal aborts first, or aborts after the wake but before the waiter resumed; in that
   * second case `onLost()` runs first and `resume` never does. Check `parents.cancelled()` before calling.
   */
  wait<R = void>(parents: Parents, onLost?: () => void, resume?: () => R): Promise<R> {
    const woken = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, waiting: true, stopListening: noop };
      waiter.stopListening = parents.onAbort((signal) => {
        if (!waiter.waiting) return;
        waiter.waiting = false;
        this.#count--;
        this.#dead++;
        if (this.#dead > COMPACT_AFTER && this.#dead > this.#count) this.#compact();
        reject(cancelledErrorOf(signal));
      });
      this.#waiters.push(waiter);
      this.#count++;
    });
    return woken.then(() => {
      const cancelled = parents.cancelled();
      if (cancelled !== undefined) {
        onLost?.();
        throw cancelled;
      }
      return resume?.() as R;
    });
  }

  /** Wakes the first waiter still waiting; false when there is none. */
  wakeOne(): boolean {
    const waiter = this.#next();
    if (waiter === undefined) return false;
    waiter.resolve();
    return true;
  }

  /** Wakes every waiter, in arrival order. */
  wakeAll(): void {
    while (this.wakeOne());
  }

  /** Fails every waiter with `error` (a shutdown, a broken barrier). */
  rejectAll(error: unknown): void {
    for (let waiter = this.#next(); waiter !== undefined; waiter = this.#next()) waiter.reject(error);
  }

  /** Drops the aborted waiters, keeping the order of the others: O(1) amortised per abort. */
  #compact(): void {
    const live = new Deque<Waiter>();
    for (let waiter = this.#waiters.shift(); waiter !== undefined; waiter = this.#waiters.shift()) {
      if (waiter.waiting) live.push(waiter);
    }
    this.#waiters = live;
    this.#dead = 0;
  }

  #next(): Waiter | undefined {
    for (;;) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) return undefined;
      if (!waiter.waiting) {
        this.#dead--; // aborted while queued
        continue;
      }
      waiter.waiting = false;
      this.#count--;
      waiter.stopListening();
      return waiter;
    }
  }
}
