/**
 * Request-start rate limits (`rate`, `ratePerHost`) and the per-host back-off a 429 or 503 with
 * `Retry-After` asks for, as one {@link Gate}.
 *
 * Each limit is a smooth schedule rather than a bucket refilled once a second (which would let a
 * second's worth of requests start in a burst): starts are spaced `1000 / rate` ms apart. To keep
 * the long-run rate exact although timers fire late, a start may catch up by up to half a spacing;
 * that slack is below one spacing, so no 1-second window ever holds more than `rate + 1` starts (the
 * test checks it with fast-check). Half rather than more: the other half absorbs the jitter between
 * our start and the server's clock, so the bound also holds where it is measured (bench http-rate).
 */
import type { Gate } from './gate.js';

/** How a {@link RateGate} is configured: starts per second, overall and per host (Infinity: none). */
export interface RateGateOptions {
  /** Requests started per second over the whole run. */
  rate?: number;
  /** Requests started per second to one host. */
  ratePerHost?: number;
}

/** One smooth schedule: the earliest time of the next start. */
class Spacing {
  readonly #interval: number;
  readonly #slack: number;
  #nextAt = Number.NEGATIVE_INFINITY;

  constructor(perSecond: number) {
    this.#interval = 1000 / perSecond;
    // The most a start may lag its schedule and still keep it. Any m + 1 starts span at least
    // m * interval - slack, so a 1-second window holds at most floor(rate + slack / interval) + 1
    // of them: slack / interval below 1 - frac(rate) keeps that at floor(rate) + 1.
    this.#slack = 0.5 * this.#interval * (1 - (perSecond - Math.floor(perSecond)));
  }

  /** 0 when a start is allowed at `now`, else the ms to wait. */
  wait(now: number): number {
    return now >= this.#nextAt ? 0 : this.#nextAt - now;
  }

  /**
   * Records a start at `now` (allowed by {@link wait}). A start a little late (by up to the slack)
   * keeps the schedule, so the next one comes sooner and the long-run rate stays exact; a start
   * after a pause begins a new schedule from now, so a pause never turns into a burst.
   */
  take(now: number): void {
    const onSchedule = now - this.#nextAt <= this.#slack;
    this.#nextAt = (onSchedule ? this.#nextAt : now) + this.#interval;
  }

  /** True when the schedule no longer holds anything back at `now`, even counting the slack. */
  idle(now: number): boolean {
    return this.#nextAt + this.#slack <= now;
  }
}

/** How many takes between two sweeps of the per-host state of hosts gone quiet. */
const SWEEP_EVERY = 4096;

/**
 * The rate limits and per-host back-off of one run. The clock is the caller's (`now` in ms, as
 * `performance.now()`), so tests drive it exactly.
 *
 * @example
 * ```ts
 * const gate = new RateGate({ rate: 100, ratePerHost: 10 });
 * const answer = gate.tryTake('a.test', performance.now()); // true, or the ms to wait
 * gate.penalize('a.test', performance.now() + 5_000); // a 429 said Retry-After: 5
 * ```
 */
export class RateGate implements Gate {
  readonly #global: Spacing | undefined;
  readonly #perHost: number;
  readonly #hosts = new Map<string, Spacing>();
  /** Hosts that asked us to back off, and until when. */
  readonly #penalties = new Map<string, number>();
  #takes = 0;

  constructor(options: RateGateOptions = {}) {
    const rate = options.rate ?? Number.POSITIVE_INFINITY;
    this.#perHost = options.ratePerHost ?? Number.POSITIVE_INFINITY;
    this.#global = Number.isFinite(rate) ? new Spacing(rate) : undefined;
  }

  tryTake(host: string, now: number): true | number {
    let wait = 0;
    if (this.#penalties.size > 0) {
      const until = this.#penalties.get(host);
      if (until !== undefined) {
        if (until > now) wait = until - now;
        else this.#penalties.delete(host);
      }
    }
    const global = this.#global;
    if (global !== undefined) wait = Math.max(wait, global.wait(now));
    let spacing: Spacing | undefined;
    if (Number.isFinite(this.#perHost)) {
      spacing = this.#hosts.get(host);
      if (spacing === undefined) {
        spacing = new Spacing(this.#perHost);
        this.#hosts.set(host, spacing);
      }
      wait = Math.max(wait, spacing.wait(now));
    }
    if (wait > 0) return wait;
    global?.take(now);
    spacing?.take(now);
    if (spacing !== undefined && ++this.#takes % SWEEP_EVERY === 0) this.#sweep(now);
    return true;
  }

  /** Rate limits hold no slots: nothing to give back. */
  release(_host: string): void {}

  /**
   * `host` asked for a pause (a 429 or 503 with `Retry-After`): no request to it starts before
   * `untilMs`, while other hosts go on. A later deadline extends the pause, an earlier one does not
   * shorten it.
   */
  penalize(host: string, untilMs: number): void {
    const current = this.#penalties.get(host);
    if (current === undefined || untilMs > current) this.#penalties.set(host, untilMs);
  }

  /** Forgets the schedules of hosts gone quiet, so a crawl of a million hosts keeps memory flat. */
  #sweep(now: number): void {
    for (const [host, spacing] of this.#hosts) if (spacing.idle(now)) this.#hosts.delete(host);
  }
}

/**
 * Tells the gate about a response: a 429 or 503 carrying `Retry-After` pauses its host for that
 * long (at most `maxMs`). Other responses change nothing.
 *
 * @example
 * ```ts
 * backOffFromResponse(gate, 'a.test', 429, 5_000, 30_000, performance.now()); // a.test waits 5 s
 * ```
 */
export function backOffFromResponse(gate: RateGate, host: string, status: number, retryAfterMs: number | undefined, maxMs: number, now: number): void {
  if ((status !== 429 && status !== 503) || retryAfterMs === undefined) return;
  gate.penalize(host, now + Math.min(retryAfterMs, maxMs));
}
