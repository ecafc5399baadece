/**
 * The workers of a {@link map} run that have nothing to start: they wait here until something
 * changes (the consumer took a result, an admitted item finished, a retry time came, the run
 * stopped), then all look again. At most one timer, for the earliest retry time asked for.
 */
import { Deque } from './deque.js';

/**
 * Idle workers and the retry timer.
 *
 * @example
 * ```ts
 * const idle = new IdleWorkers();
 * idle.wakeAt(performance.now() + 20); // a rate limit said "in 20 ms"
 * await idle.wait(); // resumes at wakeAll(), or in 20 ms
 * idle.dispose(); // the run ended: no timer left behind
 * ```
 */
export class IdleWorkers {
  readonly #waiting = new Deque<() => void>();
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.#waiting.length;
  }

  /** Resolves at the next {@link wakeAll}. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  wakeAll(): void {
    for (let wake = this.#waiting.shift(); wake !== undefined; wake = this.#waiting.shift()) wake();
  }

  /** Wakes everybody at time `at` (performance.now() clock), unless a timer fires earlier anyway. */
  wakeAt(at: number): void {
    if (!Number.isFinite(at) || at >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.wakeAll();
    }, Math.max(0, Math.ceil(at - performance.now())));
  }

  /** Clears the timer (the run ended or stopped). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }
}
