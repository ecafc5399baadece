/**
 * When to retry and how long to wait. Only causes that a second try can cure are transient: a
 * connection reset (a stale keep-alive socket, a restarting server), a 502/503/504 from a proxy or an
 * overloaded server, and a 429 (too many requests). A refused connection, a DNS failure, a timeout,
 * a 404 or a TLS error are answers, not accidents.
 */
import type { FetchErrorCode } from './types.js';

/** Statuses worth another try. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * True when a response with this status may succeed if asked again.
 *
 * @example
 * ```ts
 * isTransientStatus(503); // true
 * isTransientStatus(500); // false: a bug on the server, not a hiccup
 * ```
 */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/**
 * True when a failure with this code may succeed if tried again: only `reset`.
 *
 * @example
 * ```ts
 * isTransientError('reset'); // true
 * isTransientError('refused'); // false
 * ```
 */
export function isTransientError(code: FetchErrorCode): boolean {
  return code === 'reset';
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`, a past date meaning now). Undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter(new Date(Date.now() + 5_000).toUTCString()); // about 5000
 * ```
 */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Date.parse would also take "5" or "2024"; an HTTP-date always has a weekday or month name.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * retry `n` (1-based) waits a uniformly random time in [0, min(max, base * 2^(n-1))]. Jitter spreads
 * the retries of many clients hit by the same outage, instead of synchronising them.
 *
 * @example
 * ```ts
 * backoffDelay(3, 250, 30_000); // somewhere in [0, 1000]
 * ```
 */
export function backoffDelay(retry: number, base: number, max: number, random: () => number = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retry `n`: the server's `Retry-After` when it sent one, else the backoff; capped
 * by `max` either way.
 *
 * @example
 * ```ts
 * retryDelay({ retry: 1, retryAfter: '120', base: 250, max: 30_000 }); // 30000
 * ```
 */
export function retryDelay(options: {
  retry: number;
  retryAfter?: string | string[] | undefined;
  base: number;
  max: number;
  random?: () => number;
}): number {
  const asked = parseRetryAfter(options.retryAfter);
  if (asked !== undefined) return Math.min(asked, options.max);
  return backoffDelay(options.retry, options.base, options.max, options.random);
}
