/**
 * The options of {@link fetchAll}, {@link scrape} and {@link fetchOne}: their defaults, and the checks
 * that turn a bad option into a TypeError or RangeError naming the option, the value and its type
 * (``Expected `concurrency` to be an integer from 1 and up or `Infinity`, got `0` (number)``), thrown
 * before any request is made.
 */
import type { LookupFunction } from 'node:net';
import { DEFAULT_CONCURRENCY } from '../core/map-options.js';
import { checkCount, checkFunction, checkNonNegativeInteger, checkOptions, checkSignal, describe } from '../core/validate.js';
import type { Dispatcher } from 'undici';
import { descriptorBudget } from './fd-limit.js';
import { boolean, byteCount, fail, milliseconds, requestHeaders, timeouts } from './option-checks.js';
import { REQUEST_OPTION_KEYS, resolveRequestOptions, retriesFor, withCookie, type RequestOptions, type ResolvedRequestOptions } from './request-options.js';

export { USER_AGENT, VERSION } from './version.js';

/**
 * The three deadlines of one URL, in milliseconds. `Infinity` turns one off. A timed-out URL is a
 * row with error code `timeout` whose message says which deadline and what it was waiting for.
 *
 * @example
 * ```ts
 * fetchAll(urls, { timeout: { connect: 2_000, headers: 5_000, total: 20_000 } });
 * ```
 */
export interface TimeoutOptions {
  /**
   * Opening the TCP (and TLS) connection, DNS included. Enforced by undici's coarse timers, so it
   * may fire up to about a second late; the others are exact.
   * @default 10_000 (or `total` when that is smaller)
   */
  connect?: number;
  /**
   * Waiting for the response headers of each request, from the moment it is made (setting up a
   * new connection included); also the longest silence allowed between two chunks of the body.
   * @default 30_000 (or `total` when that is smaller)
   */
  headers?: number;
  /**
   * Everything for one URL: every attempt, redirect and retry wait, and reading the body. The clock
   * starts when the URL's first request gets its connection slot, so time queued behind `perHost`
   * does not count against the server.
   * @default 60_000
   */
  total?: number;
}

/**
 * Options of {@link fetchAll} (and, without `json`, of {@link scrape}).
 *
 * @example
 * ```ts
 * const rows = await fetchAll(urls, { concurrency: 32, perHost: 4, timeout: 5_000, retries: 1 });
 * ```
 */
export interface FetchOptions extends RequestOptions {
  /**
   * How many URLs are fetched at once, across all hosts.
   * @default 16
   */
  concurrency?: number;
  /**
   * How many requests may be in flight to one host (hostname and port) at once. URLs beyond it wait
   * for a slot, in input order. Infinity means only `concurrency` limits.
   * @default Infinity
   */
  perHost?: number;
  /**
   * A number is the `total` deadline of each URL in milliseconds; an object sets the deadlines one
   * by one. A timed-out URL is a row with error code `timeout`, never retried.
   * @default { connect: 10_000, headers: 30_000, total: 60_000 }
   */
  timeout?: number | TimeoutOptions;
  /**
   * How many times one URL may be retried after a transient failure: a connection reset, a 502, 503
   * or 504, or a 429. Nothing else is retried (a refused connection or a DNS failure will not heal
   * in a second).
   * @default 2
   */
  retries?: number;
  /**
   * Base of the exponential backoff between retries, in milliseconds: retry n waits a random time
   * in [0, retryDelay * 2^(n-1)] ("full jitter"), unless the server sent `Retry-After`.
   * @default 250
   */
  retryDelay?: number;
  /**
   * The longest wait before a retry, in milliseconds; caps both the backoff and `Retry-After`.
   * @default 30_000
   */
  maxRetryDelay?: number;
  /**
   * How many redirects one URL may follow; one more is error code `too_many_redirects`.
   * @default 10
   */
  maxRedirects?: number;
  /**
   * The most body bytes read for one URL, counted after decompression (so a gzip bomb stops here).
   * A page whose title comes before the limit is fine; needing more is error code `too_large`.
   * @default 10_485_760 (10 MiB)
   */
  maxBytes?: number;
  /**
   * Request headers, merged over the defaults (`user-agent: gather/<version>`, `accept`,
   * `accept-encoding: gzip, deflate, br`); names are case-insensitive. Credentials (`authorization`,
   * `cookie`, `proxy-authorization`) are dropped when a redirect leaves the origin.
   */
  headers?: Record<string, string>;
  /**
   * Cancels the run: in-flight requests are aborted and the run rejects with `CancelledError` (the
   * streaming form first yields every row that finished).
   */
  signal?: AbortSignal;
  /**
   * When true, a final status >= 400 makes the row `ok: false` with error code `http` (the row still
   * carries the status, title and JSON body). When false, any status is `ok`.
   * @default true
   */
  httpErrors?: boolean;
  /**
   * JSON mode for APIs: the whole body (up to `maxBytes`) is parsed into `row.json`; a body that is
   * not JSON is error code `bad_body`. Sends `accept: application/json`.
   * @default false
   */
  json?: boolean;
  /**
   * A DNS lookup with the signature of node's `dns.lookup`, used instead of it. Either way, answers
   * are cached for the run: one query per hostname, shared by concurrent connections.
   * @default dns.lookup
   */
  lookup?: LookupFunction;
  /**
   * Refuse a redirect from https to plain http: the row gets error code `downgrade`. When false
   * (the default) it is followed and the row says `downgraded: true`.
   * @default false
   */
  refuseDowngrade?: boolean;
  /**
   * Your own undici dispatcher (an `Agent`, `Pool`, `ProxyAgent`, a mock...). The run uses it as is
   * and does not close it. `lookup` and `timeout.connect` belong to the dispatcher then: configure
   * them on it (passing `lookup` too is a TypeError).
   * @default a keep-alive Agent created for the run and closed when it ends
   */
  dispatcher?: Dispatcher;
}

/**
 * Options of {@link scrape}: those of {@link fetchAll} without JSON mode.
 *
 * @example
 * ```ts
 * const options: ScrapeOptions = { concurrency: 5, timeout: 10_000 };
 * ```
 */
export type ScrapeOptions = Omit<FetchOptions, 'json'>;

/**
 * Every default in one place, so docs, validation and code agree.
 *
 * @example
 * ```ts
 * fetchAll(urls, { concurrency: DEFAULTS.concurrency * 2 });
 * ```
 */
export const DEFAULTS = {
  concurrency: DEFAULT_CONCURRENCY,
  perHost: Number.POSITIVE_INFINITY,
  connectTimeout: 10_000,
  headersTimeout: 30_000,
  totalTimeout: 60_000,
  retries: 2,
  retryDelay: 250,
  maxRetryDelay: 30_000,
  maxRedirects: 10,
  maxBytes: 10 * 1024 * 1024,
  httpErrors: true,
  json: false,
  refuseDowngrade: false,
} as const;

/** What the fetch pipeline reads: every option checked, defaulted and normalised. */
export interface ResolvedOptions {
  concurrency: number;
  perHost: number;
  connectTimeout: number;
  headersTimeout: number;
  totalTimeout: number;
  retries: number;
  retryDelay: number;
  maxRetryDelay: number;
  maxRedirects: number;
  maxBytes: number;
  /** Lower-case names, defaults included. */
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  httpErrors: boolean;
  json: boolean;
  refuseDowngrade: boolean;
  lookup: LookupFunction | undefined;
  dispatcher: Dispatcher | undefined;
  /** Method, body, rates, proxy, TLS and header options (request-options.ts). */
  request: ResolvedRequestOptions;
}

/** Which entry point is asking: scrape refuses `json` and asks for HTML. */
export type Mode = 'fetch' | 'scrape';

const KNOWN: readonly (keyof FetchOptions)[] = [
  'concurrency',
  'perHost',
  'timeout',
  'retries',
  'retryDelay',
  'maxRetryDelay',
  'maxRedirects',
  'maxBytes',
  'headers',
  'signal',
  'httpErrors',
  'json',
  'lookup',
  'dispatcher',
  'refuseDowngrade',
  ...REQUEST_OPTION_KEYS,
];

const SCRAPE_KNOWN = KNOWN.filter((key) => key !== 'json');

/**
 * Checks and defaults the options of one entry point. Throws TypeError (wrong type, unknown option)
 * or RangeError (a number out of range) naming the option.
 *
 * @example
 * ```ts
 * resolveOptions({ timeout: 5_000 }, 'fetchAll()', 'fetch').headersTimeout; // 5000
 * resolveOptions({ concurrency: 0 }, 'fetchAll()', 'fetch'); // RangeError: Expected `concurrency` to be an integer from 1 and up or `Infinity`, got `0` (number)
 * ```
 */
export function resolveOptions(options: unknown, where: string, mode: Mode): ResolvedOptions {
  if (mode === 'scrape' && typeof options === 'object' && options !== null && 'json' in options) {
    throw new TypeError(`Unknown option \`json\` for ${where} (JSON mode is \`fetchAll(urls, { json: true })\`); known options: ${SCRAPE_KNOWN.map((k) => `\`${k}\``).join(', ')}`);
  }
  const given = checkOptions(where, options, mode === 'scrape' ? SCRAPE_KNOWN : KNOWN);

  const signal = checkSignal('signal', given.signal);
  const lookup = given.lookup;
  if (lookup !== undefined) checkFunction('lookup', lookup);
  const dispatcher = given.dispatcher;
  if (
    dispatcher !== undefined &&
    (typeof dispatcher !== 'object' || dispatcher === null || typeof (dispatcher as Dispatcher).dispatch !== 'function')
  ) {
    fail('dispatcher', 'an undici Dispatcher (an Agent, a Pool...)', dispatcher);
  }
  if (lookup !== undefined && dispatcher !== undefined) {
    throw new TypeError('Expected only one of `lookup` and `dispatcher`: with your own dispatcher, set `connect.lookup` on it');
  }

  const json = mode === 'scrape' ? false : boolean('json', given.json, DEFAULTS.json);
  const { connect, headers: headersTimeout, total } = timeouts(given.timeout, DEFAULTS);
  const request = resolveRequestOptions(given);
  return {
    // Never more in flight than the process has descriptors for (see fd-limit.ts).
    concurrency: Math.min(given.concurrency === undefined ? DEFAULTS.concurrency : checkCount('concurrency', given.concurrency), descriptorBudget()),
    perHost: given.perHost === undefined ? DEFAULTS.perHost : checkCount('perHost', given.perHost),
    connectTimeout: connect,
    headersTimeout,
    totalTimeout: total,
    retries: retriesFor(request, given.retries === undefined ? DEFAULTS.retries : checkNonNegativeInteger('retries', given.retries)),
    retryDelay: milliseconds('retryDelay', given.retryDelay, DEFAULTS.retryDelay, 0),
    maxRetryDelay: milliseconds('maxRetryDelay', given.maxRetryDelay, DEFAULTS.maxRetryDelay, 0),
    maxRedirects: given.maxRedirects === undefined ? DEFAULTS.maxRedirects : checkNonNegativeInteger('maxRedirects', given.maxRedirects),
    maxBytes: byteCount('maxBytes', given.maxBytes, DEFAULTS.maxBytes),
    headers: withCookie(requestHeaders(given.headers, mode === 'scrape' ? 'html' : json ? 'json' : 'any'), request.cookie),
    signal,
    httpErrors: boolean('httpErrors', given.httpErrors, DEFAULTS.httpErrors),
    json,
    refuseDowngrade: boolean('refuseDowngrade', given.refuseDowngrade, DEFAULTS.refuseDowngrade),
    lookup: lookup as LookupFunction | undefined,
    dispatcher: dispatcher as Dispatcher | undefined,
    request,
  };
}

// Received values are rendered by the core's `describe`, so both layers word their errors alike.
export { describe };
