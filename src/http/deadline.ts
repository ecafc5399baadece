/**
 * The deadline clock of one URL: its `total` deadline (from its first request) and the `headers`
 * deadline of the request in flight, served by ONE timer. It is armed for the nearest deadline
 * and re-armed when it fires early for one that no longer applies (the headers arrived).
 */
import type { Phase } from './classify.js';
import { totalTimeoutError } from './classify.js';
import type { FetchRowError } from './types.js';

/** Who the clock reports to: the URL's job. */
export interface DeadlineOwner {
  /** What the URL is doing now, for the total deadline's message. */
  readonly phase: Phase;
  /** A deadline passed: `error` is the row's, `ms` the deadline's length. */
  expired(error: FetchRowError, ms: number): void;
}

/** The one deadline callback of every URL (the clock comes as the timer's argument: no closure per URL). */
function onTimer(clock: DeadlineClock): void {
  clock.fire();
}

/**
 * One URL's deadlines. Construct with the deadlines in ms (Infinity for none); call
 * {@link DeadlineClock.request} as each request is made, {@link DeadlineClock.headersArrived} when
 * its head comes, {@link DeadlineClock.stop} when the URL is done.
 *
 * @example
 * ```ts
 * const clock = new DeadlineClock(60_000, 30_000, job);
 * clock.request(); // first request: the total deadline starts too
 * clock.headersArrived();
 * clock.stop();
 * ```
 */
export class DeadlineClock {
  readonly #total: number;
  readonly #headers: number;
  readonly #owner: DeadlineOwner;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for: whatever is due by then fires, as its own timer would. */
  #timerAt = Infinity;
  #totalAt = Infinity;
  #headersAt = Infinity;
  #startedAt = -1;

  constructor(total: number, headers: number, owner: DeadlineOwner) {
    this.#total = total;
    this.#headers = headers;
    this.#owner = owner;
  }

  /** Milliseconds since the first request, or -1 before it. */
  elapsed(): number {
    return this.#startedAt < 0 ? -1 : performance.now() - this.#startedAt;
  }

  /**
   * A request is made now: the URL's total clock starts with its first request, and this request's
   * headers deadline starts. Our own deadline rather than undici's headersTimeout: undici's coarse
   * timers fire up to a second late, and the row says how long we waited.
   */
  request(): void {
    const now = performance.now();
    if (this.#startedAt < 0) {
      this.#startedAt = now;
      if (Number.isFinite(this.#total)) this.#totalAt = now + this.#total;
    }
    this.#headersAt = Number.isFinite(this.#headers) ? now + this.#headers : Infinity;
    this.#arm(now);
  }

  /** The headers deadline of the request in flight is met (or no longer applies). */
  headersArrived(): void {
    this.#headersAt = Infinity;
  }

  /** True when waiting `delay` ms still leaves time before the total deadline. */
  fits(delay: number): boolean {
    return !Number.isFinite(this.#total) || performance.now() - this.#startedAt + delay < this.#total;
  }

  /** The URL is done: no more firing. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#totalAt = Infinity;
    this.#headersAt = Infinity;
  }

  /** @internal The timer fired: whatever was due by the deadline it was armed for expires. */
  fire(): void {
    const due = this.#timerAt;
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#totalAt <= due) {
      this.#totalAt = Infinity;
      this.#owner.expired(totalTimeoutError(this.#total, this.#owner.phase), this.#total);
    } else if (this.#headersAt <= due) {
      this.#headersAt = Infinity;
      const ms = this.#headers;
      this.#owner.expired({ code: 'timeout', message: `timed out after ${ms} ms waiting for response headers` }, ms);
    } else {
      this.#arm(performance.now()); // armed for a deadline that no longer applies: wait for the next one
    }
  }

  /** Makes sure the timer fires by the nearest deadline. */
  #arm(now: number): void {
    const at = Math.min(this.#totalAt, this.#headersAt);
    if (at >= this.#timerAt) return; // armed for that already, or for something sooner
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // Whole milliseconds: node keeps one timer list per duration, and the durations of fresh
    // deadlines are then the options' own (one shared list) rather than a new fraction each time.
    this.#timer = setTimeout(onTimer, Math.max(1, Math.round(at - now)), this);
  }
}
