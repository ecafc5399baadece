/**
 * The two errors every primitive speaks: {@link CancelledError} when work was cancelled and
 * {@link TimeoutError} when a deadline passed. Both are plain `Error` subclasses with a stable `name`.
 */

/**
 * Thrown (or placed in a result slot) when work was cancelled: a Task, a gather, an AbortSignal.
 * `reason` carries what the canceller passed, if anything.
 *
 * @example
 * ```ts
 * try { await task; } catch (error) {
 *   if (error instanceof CancelledError) console.log('cancelled:', error.reason);
 * }
 * ```
 */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  /** What the canceller passed to `cancel(reason)` or `controller.abort(reason)`, if anything. */
  readonly reason: unknown;

  constructor(reason?: unknown, message = describeCancel(reason)) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Thrown when a deadline passed (`waitFor`, `timeout`, `asCompleted({ timeout })`). By the time it is
 * thrown the timed-out work has been cancelled and has settled: nothing is left running.
 *
 * @example
 * ```ts
 * try { await waitFor(slowJob, 100); } catch (error) {
 *   if (error instanceof TimeoutError) console.log(error.message); // "timed out after 100 ms"
 * }
 * ```
 */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  /** The deadline that passed, in milliseconds. */
  readonly ms: number;

  constructor(ms: number, message = `timed out after ${ms} ms`) {
    super(message);
    this.ms = ms;
  }
}

function describeCancel(reason: unknown): string {
  if (reason === undefined) return 'cancelled';
  if (reason instanceof Error) return `cancelled: ${reason.message}`;
  return `cancelled: ${String(reason)}`;
}

/**
 * True for our CancelledError and for the platform's AbortError (what fetch and timers reject with).
 *
 * @example
 * ```ts
 * try { await fetch(url, { signal: currentSignal() }); } catch (error) { if (!isCancellation(error)) throw error; }
 * ```
 */
export function isCancellation(error: unknown): boolean {
  if (error instanceof CancelledError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** The CancelledError to reject with when `signal` aborted: its reason itself when it already is one. */
export function cancelledErrorOf(signal: AbortSignal): CancelledError {
  const reason: unknown = signal.reason;
  return reason instanceof CancelledError ? reason : new CancelledError(reason);
}

/** The error to report for a rejection: Errors as they are, anything else wrapped so `T | Error` is honest. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return new Error(`non-Error value thrown: ${shown}`, { cause: value });
}
