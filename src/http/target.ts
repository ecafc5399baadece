/**
 * Target parsing: what the user gave (a string, a URL object, anything) to the URL to fetch, or
 * the row error saying why there is none. Also the empty row every URL starts from.
 */
import { describe } from '../core/validate.js';
import { isSupportedProtocol } from './redirect.js';
import type { FetchRow, FetchRowError } from './types.js';

/**
 * A row before anything happened.
 *
 * @example
 * ```ts
 * emptyRow('http://a.test/').attempts; // 0
 * ```
 */
export function emptyRow(input: unknown): FetchRow {
  return {
    url: maskCredentials(typeof input === 'string' ? input : String(input)),
    ok: false,
    status: 0,
    title: null,
    finalUrl: null,
    redirects: 0,
    bytes: 0,
    timeMs: 0,
    attempts: 0,
    error: null,
    contentType: null,
    contentLength: null,
  };
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** The port of an absolute URL's authority, digits only (the URL parser rejects it when > 65535). */
const PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]]*\]|[^/?#:@]*):(\d+)(?:[/?#]|$)/i;
/** The user-info part of an absolute URL (up to the last `@` of the authority). */
const USER_INFO = /^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * The URL text with any user-info (`user:password@`) shown as `***@`, for rows and messages:
 * credentials in a URL are sent (as Basic auth), never shown.
 *
 * @example
 * ```ts
 * maskCredentials('https://me:secret@example.test/x'); // 'https://***@example.test/x'
 * ```
 */
export function maskCredentials(text: string): string {
  return text.replace(USER_INFO, '$1***@');
}

/**
 * Takes the credentials out of a URL: the URL without them, and the `authorization` header that
 * sends them as Basic auth (RFC 7617), as curl does; undefined when there are none.
 *
 * @example
 * ```ts
 * splitCredentials(new URL('https://me:pw@example.test/')).authorization; // 'Basic bWU6cHc='
 * ```
 */
export function splitCredentials(url: URL): { url: URL; authorization: string | undefined } {
  if (url.username === '' && url.password === '') return { url, authorization: undefined };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return { url: bare, authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
}

/**
 * The URL to fetch, or why there is none: `invalid_url` (not a string, empty, not absolute) or
 * `unsupported_scheme` (anything but http and https).
 *
 * @example
 * ```ts
 * parseTarget('ftp://example.test/'); // { code: 'unsupported_scheme', message: 'unsupported scheme "ftp:" ...' }
 * ```
 */
export function parseTarget(input: unknown): URL | FetchRowError {
  let text: string;
  if (input instanceof URL) text = input.href;
  else if (typeof input === 'string') text = input.trim();
  else return { code: 'invalid_url', message: `expected a URL string, got ${describe(input)}` };
  if (text === '') return { code: 'invalid_url', message: 'empty URL' };
  // The URL parser silently drops leading control characters and escapes inner ones: a line with
  // a NUL or an escape in it is garbage, not an address to fetch.
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { code: 'invalid_url', message: `invalid URL ${JSON.stringify(maskCredentials(text))}: it contains the control character U+${code}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const port = PORT.exec(text);
    if (port !== null && Number(port[1]) > 65535) {
      return { code: 'invalid_url', message: `invalid URL ${JSON.stringify(maskCredentials(text))}: port ${port[1]} is out of range (1-65535)` };
    }
    return {
      code: 'invalid_url',
      message: `invalid URL ${JSON.stringify(maskCredentials(text))}: expected an absolute http:// or https:// URL`,
    };
  }
  if (!isSupportedProtocol(url.protocol)) {
    return {
      code: 'unsupported_scheme',
      message: `unsupported scheme "${url.protocol}" in ${JSON.stringify(maskCredentials(text))}: only http and https are fetched`,
    };
  }
  return url;
}
