/**
 * The options of issue 11 (method and body, cookies, rate limits, proxies, TLS, response headers):
 * their types, checks and defaults, kept apart from options.ts so each group stays small. A bad
 * value is a TypeError or RangeError naming the option, like every other option.
 */
import { describe } from '../core/validate.js';

/**
 * Request, rate, proxy, TLS and output options of {@link fetchAll}, {@link scrape} and {@link fetchOne}.
 *
 * @example
 * ```ts
 * fetchAll(urls, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rate: 10 });
 * ```
 */
export interface RequestOptions {
  /**
   * The request method (upper-cased). POST and PATCH (and any method not idempotent in RFC 9110)
   * are not retried unless `retryAll` is set. After a 301, 302 or 303 the redirected request is a
   * GET without body (as browsers and curl do); 307 and 308 keep the method and body.
   * @default 'GET'
   */
  method?: string;
  /** The request body, sent as is with every request (set its `content-type` in `headers`). */
  body?: string | Uint8Array;
  /** Cookies to send, `"a=1; b=2"`; joined to a `cookie` header given in `headers`. Dropped when a redirect leaves the origin. */
  cookie?: string;
  /**
   * Retry transient failures whatever the method. Off by default: RFC 9110 only allows automatic
   * retries of idempotent methods, since a POST that reached the server may have had its effect.
   * @default false
   */
  retryAll?: boolean;
  /**
   * Requests started per second over the whole run, evenly spaced (no bursts). With `rate` or
   * `ratePerHost` set, a 429 or 503 with `Retry-After` also pauses its host (only) for that long.
   * @default Infinity
   */
  rate?: number;
  /** Requests started per second to one host (hostname and port). @default Infinity */
  ratePerHost?: number;
  /**
   * The proxy every request goes through: `http://host:port` (CONNECT tunnels for https targets),
   * `https://...` or `socks5://host:port`; credentials in the URL are sent to the proxy. Undefined
   * honours `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (any case); `false` ignores them. A proxy that
   * refuses or fails makes rows with error code `proxy`.
   * @default undefined (the environment)
   */
  proxy?: string | false;
  /** Accept any TLS certificate (self-signed, expired, wrong name). For testing only. @default false */
  insecure?: boolean;
  /** Trusted certificate authorities (PEM), instead of Node's bundled list. */
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** Adds `row.headers`: every response header, names lower-case. @default false */
  includeHeaders?: boolean;
}

/** {@link RequestOptions} checked and defaulted. */
export interface ResolvedRequestOptions {
  method: string;
  body: string | Uint8Array | undefined;
  cookie: string | undefined;
  retryAll: boolean;
  rate: number;
  ratePerHost: number;
  proxy: string | false | undefined;
  insecure: boolean;
  ca: string | Buffer | (string | Buffer)[] | undefined;
  includeHeaders: boolean;
}

/**
 * The names of {@link RequestOptions}, for the unknown-option check.
 *
 * @example
 * ```ts
 * REQUEST_OPTION_KEYS.includes('rate'); // true
 * ```
 */
export const REQUEST_OPTION_KEYS: readonly (keyof RequestOptions)[] = [
  'method',
  'body',
  'cookie',
  'retryAll',
  'rate',
  'ratePerHost',
  'proxy',
  'insecure',
  'ca',
  'includeHeaders',
];

/** Methods RFC 9110 section 9.2.2 calls idempotent: safe to send twice. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const LINE_BREAK = /[\r\n\0]/;
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:']);

function bad(name: string, what: string, value: unknown, range = false): never {
  const message = `Expected \`${name}\` to be ${what}, got ${describe(value)}`;
  throw range && typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

function flag(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') bad(name, 'a boolean', value);
  return value;
}

function perSecond(name: string, value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) bad(name, 'a number of requests per second above 0 (or `Infinity`)', value, true);
  return value;
}

function isBytes(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

function isPem(value: unknown): value is string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function proxyUrl(value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value !== 'string') bad('proxy', 'a proxy URL string (http://, https:// or socks5://) or `false`', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return bad('proxy', 'an absolute proxy URL like http://127.0.0.1:3128', value);
  }
  if (!PROXY_SCHEMES.has(url.protocol)) bad('proxy', 'an http://, https:// or socks5:// URL', value);
  return value;
}

/**
 * Checks and defaults the {@link RequestOptions} found in `given` (an entry point's options).
 *
 * @example
 * ```ts
 * resolveRequestOptions({ method: 'post' }).method; // 'POST'
 * resolveRequestOptions({ rate: 0 }); // RangeError: Expected `rate` to be a number of requests per second above 0 ...
 * ```
 */
export function resolveRequestOptions(given: Record<string, unknown>): ResolvedRequestOptions {
  const method = given.method ?? 'GET';
  if (typeof method !== 'string' || !TOKEN.test(method)) bad('method', 'an HTTP method name like "POST"', method);
  const body = given.body;
  if (body !== undefined && !isBytes(body)) bad('body', 'a string or a Uint8Array (Buffer)', body);
  const upper = method.toUpperCase();
  if (body !== undefined && (upper === 'GET' || upper === 'HEAD')) {
    throw new TypeError(`Expected no \`body\` with method ${upper}: use \`method: 'POST'\` (or PUT, PATCH...) to send one`);
  }
  const cookie = given.cookie;
  if (cookie !== undefined && (typeof cookie !== 'string' || LINE_BREAK.test(cookie))) bad('cookie', 'a string like "a=1; b=2" without CR, LF or NUL', cookie);
  const ca = given.ca;
  if (ca !== undefined && !isPem(ca) && !(Array.isArray(ca) && ca.every(isPem))) bad('ca', 'PEM text (a string or Buffer) or a list of them', ca);
  if (given.dispatcher !== undefined && (given.proxy !== undefined || given.insecure !== undefined || ca !== undefined)) {
    throw new TypeError('Expected no `proxy`, `insecure` or `ca` with your own `dispatcher`: configure them on it');
  }
  return {
    method: upper,
    body,
    cookie,
    retryAll: flag('retryAll', given.retryAll),
    rate: perSecond('rate', given.rate),
    ratePerHost: perSecond('ratePerHost', given.ratePerHost),
    proxy: proxyUrl(given.proxy),
    insecure: flag('insecure', given.insecure),
    ca: Array.isArray(ca) ? [...(ca as (string | Buffer)[])] : (ca as string | Buffer | undefined),
    includeHeaders: flag('includeHeaders', given.includeHeaders),
  };
}

/**
 * True when RFC 9110 lets a client repeat `method` on its own (GET, HEAD, OPTIONS, TRACE, PUT, DELETE).
 *
 * @example
 * ```ts
 * isIdempotent('POST'); // false
 * ```
 */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/**
 * The retries a run may make: none for a non-idempotent method unless `retryAll`.
 *
 * @example
 * ```ts
 * retriesFor(resolveRequestOptions({ method: 'POST' }), 2); // 0
 * ```
 */
export function retriesFor(request: ResolvedRequestOptions, retries: number): number {
  return request.retryAll || isIdempotent(request.method) ? retries : 0;
}

/**
 * The request headers with `cookie` joined in (after any cookie header given in `headers`).
 *
 * @example
 * ```ts
 * withCookie({ cookie: 'a=1' }, 'b=2'); // { cookie: 'a=1; b=2' }
 * ```
 */
export function withCookie(headers: Record<string, string>, cookie: string | undefined): Record<string, string> {
  if (cookie === undefined || cookie.trim() === '') return headers;
  const current = headers.cookie;
  return { ...headers, cookie: current ? `${current}; ${cookie.trim()}` : cookie.trim() };
}
