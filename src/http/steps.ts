/**
 * The decisions of the hop loop, as small pure steps composed in one place. Each step looks at a
 * response head (or a failure) and the state of the URL, and either has a verdict (follow a
 * redirect, retry after a wait, end with an error) or passes. They run inside undici's callback
 * and need no server to test: a head is a plain object.
 *
 * Why steps and not undici interceptors (`dispatch => (opts, handler) => ...`): undici's redirect
 * and retry interceptors hide the hops from the caller, while the row counts redirects and
 * attempts, names the final URL, and one deadline clock covers every hop and retry wait.
 * Dispatcher-level layers (a proxy, a rate limit) belong on the run's dispatcher instead
 * (`dispatcher.compose(...)`), which every hop goes through.
 */
import type { ResponseHead } from './exchange.js';
import type { ResolvedOptions } from './options.js';
import { redirectTarget } from './redirect.js';
import { isTransientError, isTransientStatus, retryDelay } from './retry.js';
import type { FetchRowError } from './types.js';

/** What a step decided. */
export type Verdict =
  | { kind: 'redirect'; to: URL }
  | { kind: 'retry'; delay: number }
  | { kind: 'error'; error: FetchRowError };

/** What the steps may read of the URL's state. */
export interface HopState {
  /** The URL that answered. */
  readonly url: URL;
  readonly options: ResolvedOptions;
  /** Retries not used yet. */
  readonly retriesLeft: number;
  /** True when a wait of `delay` ms still leaves time before the URL's total deadline. */
  fits(delay: number): boolean;
}

/** A step on a response head: a verdict, or undefined to let the next step judge. */
export type HeadStep = (head: ResponseHead, hop: HopState) => Verdict | undefined;

/**
 * A 3xx with a usable Location is followed; an unusable one ends the URL.
 *
 * @example
 * ```ts
 * redirectStep({ ...head, status: 302, location: '/b' }, hop); // { kind: 'redirect', to: URL }
 * ```
 */
export const redirectStep: HeadStep = (head, hop) => {
  const target = redirectTarget(head.status, head.location, hop.url);
  if (target === null) return undefined;
  return target instanceof URL ? { kind: 'redirect', to: target } : { kind: 'error', error: target };
};

/**
 * A transient status (429, 502-504) is retried while retries are left and the wait (Retry-After,
 * else backoff) fits the URL's deadline; otherwise the answer stands.
 *
 * @example
 * ```ts
 * retryStatusStep({ ...head, status: 503, retryAfter: '1' }, hop); // { kind: 'retry', delay: 1000 }
 * ```
 */
export const retryStatusStep: HeadStep = (head, hop) => {
  if (!isTransientStatus(head.status) || hop.retriesLeft <= 0) return undefined;
  const { retries, retryDelay: base, maxRetryDelay: max } = hop.options;
  const delay = retryDelay({ retry: retries - hop.retriesLeft + 1, retryAfter: head.retryAfter, base, max });
  // A wait the deadline would cut short is no retry: keep this answer instead.
  return hop.fits(delay) ? { kind: 'retry', delay } : undefined;
};

/** The steps that judge every response head, in order: the first verdict wins. */
export const HEAD_STEPS: readonly HeadStep[] = [redirectStep, retryStatusStep];

/**
 * Runs the head steps; undefined means the response is the final answer (its body is read).
 *
 * @example
 * ```ts
 * judgeHead({ ...head, status: 200 }, hop); // undefined: final
 * ```
 */
export function judgeHead(head: ResponseHead, hop: HopState, steps: readonly HeadStep[] = HEAD_STEPS): Verdict | undefined {
  for (const step of steps) {
    const verdict = step(head, hop);
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}

/**
 * A failed request (classified as `error`) is retried when the failure is transient (a reset) and
 * the wait fits; otherwise it ends the URL.
 *
 * @example
 * ```ts
 * judgeFailure({ code: 'reset', message: 'connection reset by a.test:80' }, hop); // { kind: 'retry', delay: ... }
 * ```
 */
export function judgeFailure(error: FetchRowError, hop: HopState): Verdict {
  if (isTransientError(error.code) && hop.retriesLeft > 0) {
    const { retries, retryDelay: base, maxRetryDelay: max } = hop.options;
    const delay = retryDelay({ retry: retries - hop.retriesLeft + 1, base, max });
    if (hop.fits(delay)) return { kind: 'retry', delay };
  }
  return { kind: 'error', error };
}
