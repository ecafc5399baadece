/**
 * Constants and tiny helpers every core module shares, defined once.
 */

/** Does nothing: the rejection handler that marks a promise as observed, the listener remover of nothing. */
export const noop = (): void => {};

/** The longest delay `setTimeout` takes (2^31 - 1 ms); a longer or infinite deadline sets no timer. */
export const MAX_TIMER_MS = 0x7fffffff;

/** A timer for `ms` when it fits in `setTimeout`, none for longer (or infinite) deadlines. */
export function timerFor(ms: number, callback: () => void): ReturnType<typeof setTimeout> | undefined {
  return ms <= MAX_TIMER_MS ? setTimeout(callback, ms) : undefined;
}
