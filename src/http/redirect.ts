/**
 * Following redirects by hand, so each hop is counted, loops are caught, the final URL is known, and
 * credentials do not leak to another origin. Every request here is a GET, so the 301/302/303 rule
 * ("switch to GET") and the 307/308 rule ("keep the method") agree.
 */
import type { FetchRowError } from './types.js';

/** Statuses that send the client elsewhere when they carry a Location. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Schemes we fetch: http and https.
 *
 * @example
 * ```ts
 * isSupportedProtocol(new URL('ftp://x.test/').protocol); // false
 * ```
 */
export function isSupportedProtocol(protocol: string): boolean {
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * Where a response redirects to: a URL, null when it is not a redirect (not a 3xx with a Location),
 * or an error row part when the Location is unusable.
 *
 * @example
 * ```ts
 * redirectTarget(302, '/next', new URL('http://a.test/x')); // URL http://a.test/next
 * redirectTarget(200, undefined, base); // null
 * ```
 */
export function redirectTarget(
  status: number,
  location: string | string[] | undefined,
  base: URL,
): URL | FetchRowError | null {
  if (!REDIRECT_STATUSES.has(status)) return null;
  const value = Array.isArray(location) ? location[0] : location;
  if (value === undefined || value.trim() === '') return null; // a 3xx without Location is a final answer
  let target: URL;
  try {
    // Relative references resolve against the URL that answered (RFC 9110 10.2.2). A Location
    // carries no fragment of its own? Then the original one is kept, as browsers do.
    target = new URL(value.trim(), base);
  } catch {
    return { code: 'invalid_url', message: `redirect to an invalid URL: ${JSON.stringify(value)} from ${base.href}` };
  }
  if (!isSupportedProtocol(target.protocol)) {
    return {
      code: 'unsupported_scheme',
      message: `redirect to unsupported scheme "${target.protocol}" (${target.href}); only http and https are fetched`,
    };
  }
  if (target.hash === '' && base.hash !== '') target.hash = base.hash;
  // Credentials in a Location are not sent (nor shown in finalUrl): only the user's own are.
  target.username = '';
  target.password = '';
  return target;
}

/**
 * Headers that would hand someone else the user's identity, or (`host`) send a request meant for
 * one origin to another.
 */
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization', 'host'];

/**
 * The request headers for the next hop: unchanged within one origin; across origins without
 * credentials (what browsers and undici's fetch do) and without a `host` the user set.
 *
 * @example
 * ```ts
 * headersForHop({ authorization: 'Bearer x' }, new URL('https://a.test'), new URL('https://b.test')); // {}
 * ```
 */
export function headersForHop(headers: Record<string, string>, from: URL, to: URL): Record<string, string> {
  if (from.origin === to.origin) return headers;
  let copy: Record<string, string> | undefined;
  for (const name of CREDENTIALS) {
    if (name in headers) {
      copy ??= { ...headers };
      delete copy[name];
    }
  }
  return copy ?? headers;
}

/**
 * Whether the hop loop may go from `from` to `to`: null when it may, else the row error (a loop
 * back to a URL already visited, or one redirect more than `maxRedirects`).
 *
 * @example
 * ```ts
 * checkRedirect(new URL('http://a.test/x'), new URL('http://a.test/x'), new Set(['http://a.test/x']), 0, 10);
 * // { code: 'too_many_redirects', message: 'redirect loop: ...' }
 * ```
 */
export function checkRedirect(
  from: URL,
  to: URL,
  visited: ReadonlySet<string>,
  redirects: number,
  maxRedirects: number,
): FetchRowError | null {
  if (visited.has(to.href)) {
    return { code: 'too_many_redirects', message: `redirect loop: ${from.href} redirects back to ${to.href}` };
  }
  if (redirects >= maxRedirects) {
    return {
      code: 'too_many_redirects',
      message: `more than ${maxRedirects} redirects (maxRedirects); the last went to ${to.href}`,
    };
  }
  return null;
}

/**
 * True for a redirect from https to plain http: what follows travels unencrypted.
 *
 * @example
 * ```ts
 * isDowngrade(new URL('https://a.test/'), new URL('http://a.test/')); // true
 * ```
 */
export function isDowngrade(from: URL, to: URL): boolean {
  return from.protocol === 'https:' && to.protocol === 'http:';
}

/**
 * The row error of a downgrade refused by `refuseDowngrade`.
 *
 * @example
 * ```ts
 * downgradeError(new URL('https://a.test/'), new URL('http://a.test/')).code; // 'downgrade'
 * ```
 */
export function downgradeError(from: URL, to: URL): FetchRowError {
  return { code: 'downgrade', message: `refused a redirect from https to http (${from.href} -> ${to.href}): refuseDowngrade is set` };
}
