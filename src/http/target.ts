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
    url: typeof input === 'string' ? input : String(input),
    ok: false,
    status: 0,
    title: null,
    finalUrl: null,
    redirects: 0,
    bytes: 0,
    timeMs: 0,
    attempts: 0,
    error: null,
  };
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

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
    return { code: 'invalid_url', message: `invalid URL ${JSON.stringify(text)}: it contains the control character U+${code}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      code: 'invalid_url',
      message: `invalid URL ${JSON.stringify(text)}: expected an absolute http:// or https:// URL`,
    };
  }
  if (!isSupportedProtocol(url.protocol)) {
    return {
      code: 'unsupported_scheme',
      message: `unsupported scheme "${url.protocol}" in ${JSON.stringify(text)}: only http and https are fetched`,
    };
  }
  return url;
}
