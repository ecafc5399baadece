/**
 * The per-run pieces of issue 11 that the fetch pipeline calls into: the rate gate (with per-host
 * back-off), the TLS recorder, the proxy in force; and the two hooks of a request, before it starts
 * ({@link beforeRequest}) and when its head arrives ({@link recordResponse}).
 */
import type { ResponseHead } from './exchange.js';
import type { ResolvedOptions } from './options.js';
import { activeProxy } from './proxy.js';
import { GateQueue } from './gate-queue.js';
import { backOffFromResponse, RateGate } from './rate-gate.js';
import { parseRetryAfter } from './retry.js';
import { collectHeaders, contentLengthOf, firstValue } from './response-headers.js';
import { TlsRecorder } from './tls-info.js';
import type { FetchRow } from './types.js';

/** What one run shares for these features. */
export interface RunExtras {
  /**
   * The rate limits, with the per-host back-off on 429/503 + Retry-After; only when `rate` or
   * `ratePerHost` is set, so a run without limits keeps its pace (retries still honour Retry-After).
   */
  gate: RateGate | undefined;
  /** The URLs waiting for the gate (one timer for all). */
  waiting: GateQueue | undefined;
  tls: TlsRecorder;
  /** The proxy URL in force (an option or the environment), for telling its failures apart. */
  proxy: string | undefined;
  close(): void;
}

/**
 * Creates the extras of a run; `close()` with the run.
 *
 * @example
 * ```ts
 * const extras = createRunExtras(resolveOptions({ rate: 10 }, 'fetchAll()', 'fetch'));
 * extras.close();
 * ```
 */
export function createRunExtras(options: ResolvedOptions, gate = rateGateFor(options)): RunExtras {
  const tls = new TlsRecorder();
  return {
    gate,
    waiting: gate ? new GateQueue(gate) : undefined,
    tls,
    proxy: options.dispatcher ? undefined : activeProxy(options.request),
    close: () => tls.close(),
  };
}

/**
 * The run's rate gate when `rate` or `ratePerHost` is set: the scheduler asks it before a URL
 * starts (so a URL waiting for its rate holds no slot), and retries and redirects wait for it.
 *
 * @example
 * ```ts
 * rateGateFor(resolveOptions({ rate: 10 }, 'fetchAll()', 'fetch')); // a RateGate
 * rateGateFor(resolveOptions({}, 'fetchAll()', 'fetch')); // undefined
 * ```
 */
export function rateGateFor(options: ResolvedOptions): RateGate | undefined {
  const limited = Number.isFinite(options.request.rate) || Number.isFinite(options.request.ratePerHost);
  return limited ? new RateGate({ rate: options.request.rate, ratePerHost: options.request.ratePerHost }) : undefined;
}

/**
 * Before a request to `host` starts: waits for the rate gate (no wait at all when nothing limits).
 *
 * @example
 * ```ts
 * const waiting = beforeRequest(extras, url.host, signal);
 * if (waiting) await waiting;
 * ```
 */
export function beforeRequest(extras: RunExtras, host: string, signal: () => AbortSignal): Promise<void> | undefined {
  const gate = extras.gate;
  // Straight through when nothing limits, or nobody waits and the gate says yes now.
  if (gate === undefined || (extras.waiting!.size === 0 && gate.tryTake(host, performance.now()) === true)) return undefined;
  return extras.waiting!.wait(host, signal());
}

/**
 * A response head arrived for `url`: records `contentType`, `contentLength`, `tls` and (with
 * `includeHeaders`) `headers` on the row, and pauses the host when a 429/503 asks so.
 *
 * @example
 * ```ts
 * recordResponse(extras, options, row, url, head, rawHeaders);
 * ```
 */
export function recordResponse(
  extras: RunExtras,
  options: ResolvedOptions,
  row: FetchRow,
  url: URL,
  head: ResponseHead,
  raw: readonly (Buffer | string)[],
): void {
  row.contentType = firstValue(head.contentType) ?? null;
  row.contentLength = contentLengthOf(head.contentLength);
  const tls = extras.tls.get(url);
  if (tls !== undefined) row.tls = tls;
  if (options.request.includeHeaders) row.headers = collectHeaders(raw);
  if (head.retryAfter !== undefined && extras.gate !== undefined) {
    backOffFromResponse(extras.gate, url.host, head.status, parseRetryAfter(head.retryAfter), options.maxRetryDelay, performance.now());
  }
}

/**
 * A new request for the row: what the previous response said (status, title, bytes, JSON, the
 * response fields) is no longer its answer.
 *
 * @example
 * ```ts
 * forgetResponse(row); // row.status === 0, row.contentType === null, no row.tls or row.headers
 * ```
 */
export function forgetResponse(row: FetchRow): void {
  row.status = 0;
  row.title = null;
  row.bytes = 0;
  if (row.json !== undefined) delete row.json;
  row.contentType = null;
  row.contentLength = null;
  if (row.tls !== undefined) delete row.tls;
  if (row.headers !== undefined) delete row.headers;
}
