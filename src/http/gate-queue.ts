/**
 * URLs waiting for a {@link Gate}, with one timer for all of them rather than one each: when it
 * fires, each waiter in turn (oldest first) asks the gate, so a waiter whose host is paused never
 * holds up those of other hosts, and the timer is set for the soonest any of them may start. This
 * is the temporary home of the gate on this branch; the scheduler consults gates itself.
 */
import type { Gate } from './gate.js';

interface Waiter {
  host: string;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/** How long to wait before asking again when the gate says "not before a release()". */
const POLL_MS = 50;

/**
 * The waiting room of one gate.
 *
 * @example
 * ```ts
 * const queue = new GateQueue(gate);
 * await queue.wait('a.test', signal); // resolves once the gate gave a.test a permit
 * ```
 */
export class GateQueue {
  readonly #gate: Gate;
  readonly #clock: () => number;
  #waiters: Waiter[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(gate: Gate, clock: () => number = () => performance.now()) {
    this.#gate = gate;
    this.#clock = clock;
  }

  /** How many are waiting. */
  get size(): number {
    return this.#waiters.length;
  }

  /** Resolves when `host` got a permit; rejects with the signal's reason if it aborts first. */
  wait(host: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        host,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          if (this.#waiters.length === 0) this.#stopTimer();
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      // Ask now, everyone in turn: the newcomer's host may be free while the others' are paused.
      this.#stopTimer();
      this.#pump();
    });
  }

  readonly #pump = (): void => {
    this.#timer = undefined;
    const now = this.#clock();
    let soonest = Number.POSITIVE_INFINITY;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      const answer = this.#gate.tryTake(waiter.host, now);
      if (answer === true) {
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      } else {
        soonest = Math.min(soonest, answer);
        still.push(waiter);
      }
    }
    this.#waiters = still;
    if (still.length > 0) {
      this.#timer = setTimeout(this.#pump, Number.isFinite(soonest) ? Math.max(1, Math.ceil(soonest)) : POLL_MS);
    }
  };

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
