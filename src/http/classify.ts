/**
 * Turns whatever a request threw into a stable error code and a sentence a person can act on:
 * `connection refused by 127.0.0.1:9`, `no such host: nonexistent.invalid`,
 * `timed out after 1000 ms waiting for response headers`.
 *
 * Errors come from several places (node's net and tls, undici, zlib, our own body reader), each
 * with its own `code`; this is the one module that knows them all.
 */
import { BodyDecodeError, BodyTooLargeError } from './body.js';
import { MalformedResponseError } from './response-head.js';
import type { FetchRowError } from './types.js';

/** What the failing request was doing, for the message. */
export interface ErrorContext {
  /** The URL being requested when it failed. */
  url: URL;
  /** The connect deadline in ms (for undici's connect timeout). */
  connectTimeout: number;
  /** The headers (and body idle) deadline in ms. */
  headersTimeout: number;
}

/** Which stage of a URL's life a deadline interrupted. */
export type Phase = 'queue' | 'headers' | 'body' | 'redirect' | 'retry';

/** What a URL was doing in each phase, for timeout and cancellation messages. */
export const PHASE_TEXT: Record<Phase, string> = {
  queue: 'waiting for a free connection slot',
  headers: 'waiting for response headers',
  body: 'reading the body',
  redirect: 'following a redirect',
  retry: 'waiting to retry',
};

/**
 * The message of the URL-wide (`total`) deadline, naming where the time ran out.
 *
 * @example
 * ```ts
 * totalTimeoutError(1000, 'headers'); // { code: 'timeout', message: 'timed out after 1000 ms waiting for response headers' }
 * ```
 */
export function totalTimeoutError(ms: number, phase: Phase): FetchRowError {
  return { code: 'timeout', message: `timed out after ${ms} ms ${PHASE_TEXT[phase]}` };
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'ENONAME']);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** TLS failures people meet, in plain words (`%s` is host:port). */
const TLS_WORDS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate of %s has expired',
  CERT_NOT_YET_VALID: 'the certificate of %s is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate of %s is self-signed (not trusted)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain of %s ends in a self-signed certificate (not trusted)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate of %s is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate of %s is signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate of %s is signed by an unknown authority',
  CERT_REVOKED: 'the certificate of %s has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate of %s is for another name',
  HOSTNAME_MISMATCH: 'the certificate of %s is for another name',
  EPROTO: 'TLS handshake with %s failed (does the server speak TLS on this port?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake with %s failed (does the server speak TLS on this port?)',
};

/** The first line of a library's message; of OpenSSL's `...:error:0A000410:SSL routines:func:reason:file:line`, the reason. */
function plainLine(message: string): string {
  const line = message.split(/\r?\n/, 1)[0]!.trim();
  const openssl = /(?:^|:)error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/i.exec(line);
  return openssl ? openssl[1]!.trim() : line;
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code === 'EPROTO' ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' ||
    code === 'HOSTNAME_MISMATCH'
  );
}

function hostOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Undici and node sometimes wrap the real cause (`fetch failed`, AggregateError from happy
 * eyeballs): the innermost error with a code says more.
 */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (codeOf(current) !== '') return current;
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else if (current instanceof Error && current.cause !== undefined) current = current.cause;
    else break;
  }
  return error;
}

/**
 * Maps a failure of one request to a row error, with a one-line message in plain words. Failures
 * nothing here recognises keep their own (first line of) message under code `unknown`, which is
 * never retried.
 *
 * @example
 * ```ts
 * classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }), context);
 * // { code: 'refused', message: 'connection refused by 127.0.0.1:9' }
 * ```
 */
export function classifyError(error: unknown, context: ErrorContext): FetchRowError {
  if (error instanceof BodyTooLargeError) return { code: 'too_large', message: error.message };
  if (error instanceof BodyDecodeError) return { code: 'bad_body', message: error.message };
  if (error instanceof MalformedResponseError) {
    return { code: 'bad_body', message: `invalid HTTP response from ${hostOf(context.url)}: ${error.message}` };
  }

  const cause = rootCause(error);
  const code = codeOf(cause);
  const host = hostOf(context.url);
  const detail = cause as { address?: unknown; port?: unknown; hostname?: unknown };

  if (DNS_CODES.has(code)) {
    const name = typeof detail.hostname === 'string' ? detail.hostname : context.url.hostname;
    if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENONAME') return { code: 'dns', message: `no such host: ${name}` };
    if (code === 'EAI_AGAIN') return { code: 'dns', message: `DNS lookup of ${name} failed temporarily (EAI_AGAIN)` };
    return { code: 'dns', message: `DNS lookup of ${name} failed (${code})` };
  }
  if (code === 'ECONNREFUSED') {
    const where =
      typeof detail.address === 'string' && typeof detail.port === 'number' ? `${detail.address}:${detail.port}` : host;
    return { code: 'refused', message: `connection refused by ${where}` };
  }
  if (UNREACHABLE_CODES.has(code)) {
    // No code of its own: like a refusal, nobody took the connection.
    return { code: 'refused', message: `could not reach ${host} (${code})` };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { code: 'timeout', message: `timed out after ${context.connectTimeout} ms connecting to ${host}` };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { code: 'timeout', message: `timed out after ${context.headersTimeout} ms waiting for response headers` };
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return { code: 'timeout', message: `timed out after ${context.headersTimeout} ms waiting for more of the body` };
  }
  if (code === 'ETIMEDOUT') return { code: 'timeout', message: `timed out connecting to ${host} (ETIMEDOUT)` };
  if (isTlsCode(code)) {
    const words = TLS_WORDS[code];
    return { code: 'tls', message: words ? words.replace('%s', host) : `TLS error with ${host}: ${plainLine(messageOf(cause))}` };
  }
  if (code === 'ERR_ASSERTION' || (code === 'UND_ERR_SOCKET' && messageOf(cause) === 'bad response')) {
    // undici asserts on what llhttp lets through (a status below 100, such as "000"): the response
    // is malformed, not the connection.
    return { code: 'bad_body', message: `invalid HTTP response from ${host}: the response could not be parsed` };
  }
  if (RESET_CODES.has(code)) {
    if (code === 'ECONNRESET') return { code: 'reset', message: `connection reset by ${host}` };
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return { code: 'reset', message: `connection to ${host} closed before the whole body arrived` };
    }
    return { code: 'reset', message: `connection to ${host} closed by the server before the response ended` };
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return { code: 'too_large', message: `response headers from ${host} too large` };
  if (code.startsWith('HPE_') || (cause as Error)?.name === 'HTTPParserError') {
    return { code: 'bad_body', message: `invalid HTTP response from ${host}: ${parserWords(messageOf(cause))}` };
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI')) {
    return { code: 'bad_body', message: `could not decode the body: ${messageOf(cause)}` };
  }
  if (code === 'EMFILE' || code === 'ENFILE') {
    return { code: 'unknown', message: `out of file descriptors while connecting to ${host} (${code}); lower the concurrency or raise ulimit -n` };
  }
  // Nothing above knows it: said as it is, and never retried (a retry would not know more).
  const suffix = code ? ` (${code})` : '';
  return { code: 'unknown', message: `request to ${host} failed: ${plainLine(messageOf(cause))}${suffix}` };
}

/** llhttp's "Response does not match the HTTP/1.1 protocol (Invalid character in chunk size)" in fewer words. */
function parserWords(message: string): string {
  const inner = /\(([^)]*)\)\s*$/.exec(message);
  return (inner ? inner[1]! : plainLine(message)).replace(/^Expected HTTP\/, RTSP\/ or ICE\/$/, 'no HTTP status line');
}
