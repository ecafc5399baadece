/**
 * The method and body of each hop of a URL, and how a redirect changes them: after a 301, 302 or
 * 303 a request that was not a GET or HEAD becomes a GET without body (what browsers and curl do;
 * RFC 9110 15.4 allows it for 301/302 and asks it for 303), while 307 and 308 repeat the request
 * exactly, body included.
 */
import type { Dispatcher } from 'undici';
import type { ResolvedRequestOptions } from './request-options.js';

/** What one hop sends besides its headers. */
export interface HopRequest {
  method: string;
  body: string | Uint8Array | undefined;
}

/**
 * The first hop's method and body, from the run's options.
 *
 * @example
 * ```ts
 * firstHop(resolveRequestOptions({ method: 'POST', body: 'a=1' })); // { method: 'POST', body: 'a=1' }
 * ```
 */
export function firstHop(request: ResolvedRequestOptions): HopRequest {
  return { method: request.method, body: request.body };
}

/** Headers that describe a body, meaningless once the body is dropped. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/**
 * The next hop after a redirect with `status`: the request and the headers to send with it.
 *
 * @example
 * ```ts
 * afterRedirect({ method: 'POST', body: 'a=1' }, { 'content-type': 'text/plain' }, 303);
 * // { hop: { method: 'GET', body: undefined }, headers: {} }
 * afterRedirect({ method: 'POST', body: 'a=1' }, headers, 307); // unchanged
 * ```
 */
export function afterRedirect(
  hop: HopRequest,
  headers: Record<string, string>,
  status: number,
): { hop: HopRequest; headers: Record<string, string> } {
  const rewrite = (status === 301 || status === 302 || status === 303) && hop.method !== 'GET' && hop.method !== 'HEAD';
  if (!rewrite) return { hop, headers };
  let copy: Record<string, string> | undefined;
  for (const name of BODY_HEADERS) {
    if (name in headers) {
      copy ??= { ...headers };
      delete copy[name];
    }
  }
  return { hop: { method: 'GET', body: undefined }, headers: copy ?? headers };
}

/**
 * What one request hands to undici's `dispatch`: the hop's method and body, our headers, no
 * headers timer of undici's (the URL's deadline clock keeps it), and `headersTimeout` as the
 * longest silence between two body chunks (undici's idle timer; 0 turns it off).
 *
 * @example
 * ```ts
 * dispatcher.dispatch(dispatchOptions(url, firstHop(options.request), headers, 30_000), handler);
 * ```
 */
export function dispatchOptions(url: URL, hop: HopRequest, headers: Record<string, string>, headersTimeout: number): Dispatcher.DispatchOptions {
  return {
    origin: url.origin,
    path: url.pathname + url.search,
    method: hop.method,
    body: hop.body ?? null,
    headers,
    headersTimeout: 0,
    bodyTimeout: Number.isFinite(headersTimeout) ? headersTimeout : 0,
  };
}
