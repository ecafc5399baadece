/**
 * The workers of a {@link map} run that have nothing to start: they wait here until something
 * changes (the consumer took a result, an admitted item finished, a retry time came, the run
 * stopped), then all look again. At most one timer, for the earliest retry time asked for.
 */
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
  // One promise shared by every waiter until the next wake-up: a full buffer parks every worker on
  // each result taken, and one allocation per wake-up instead of one per worker shows at 10^6 items.
  #waking: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #count = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.#count;
  }

  /** Resolves at the next {@link wakeAll}. */
  wait(): Promise<void> {
    this.#waking ??= new Promise<void>((resolve) => (this.#wake = resolve));
    this.#count++;
    return this.#waking;
  }

  wakeAll(): void {
    const wake = this.#wake;
    if (wake === undefined) return;
    this.#waking = undefined;
    this.#wake = undefined;
    this.#count = 0;
    wake();
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
