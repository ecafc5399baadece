/**
 * The head of a response as the pipeline sees it: the five headers it reads, decoded from undici's
 * raw header list without building a header object, and the checks undici leaves to us.
 */
import { lengthOf } from './body.js';

/** A header as undici hands it over: one value, or several when the header was repeated. */
export type HeaderValue = string | string[] | undefined;

/** The parts of a response head the pipeline looks at. */
export interface ResponseHead {
  status: number;
  statusText: string;
  contentType: HeaderValue;
  contentEncoding: HeaderValue;
  contentLength: HeaderValue;
  location: HeaderValue;
  retryAfter: HeaderValue;
}

/**
 * A response that breaks HTTP in a way undici lets through (two different Content-Length
 * headers): error code `bad_body`, never retried.
 *
 * @example
 * ```ts
 * new MalformedResponseError('two different Content-Length headers (5, 7)').message;
 * ```
 */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

/** The one Content-Length of a head; throws MalformedResponseError when copies disagree (RFC 9112 6.3). */
export function checkedLength(header: HeaderValue): number | undefined {
  if (Array.isArray(header) && header.some((value) => value.trim() !== header[0]!.trim())) {
    throw new MalformedResponseError(`two different Content-Length headers (${header.join(', ')})`);
  }
  return lengthOf(header);
}

const CONTENT_TYPE = 'content-type';
const CONTENT_ENCODING = 'content-encoding';
const CONTENT_LENGTH = 'content-length';
const LOCATION = 'location';
const RETRY_AFTER = 'retry-after';

/** `name` (any case, as bytes or text) equals the lower-case `lower`. */
function nameIs(name: Buffer | string, lower: string): boolean {
  if (typeof name === 'string') return name.length === lower.length && name.toLowerCase() === lower;
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const l = lower.charCodeAt(i);
    if (c !== l && !(c >= 0x41 && c <= 0x5a && c + 0x20 === l)) return false;
  }
  return true;
}

function text(value: Buffer | string | (Buffer | string)[]): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : v.toString('latin1')));
  return value.toString('latin1');
}

/** A repeated header becomes a list, in order, as undici's own parseHeaders does. */
function add(current: HeaderValue, value: string | string[]): string | string[] {
  if (current === undefined) return value;
  const list = typeof current === 'string' ? [current] : current;
  if (typeof value === 'string') list.push(value);
  else list.push(...value);
  return list;
}

/**
 * The head from undici's raw header list (name, value, name, value...), decoding only the five
 * headers the pipeline reads (values as latin1, like undici's parseHeaders).
 *
 * @example
 * ```ts
 * readHead(200, 'OK', [Buffer.from('Content-Type'), Buffer.from('text/html')]).contentType; // 'text/html'
 * ```
 */
export function readHead(status: number, statusText: string, raw: readonly (Buffer | string)[]): ResponseHead {
  const head: ResponseHead = {
    status,
    statusText,
    contentType: undefined,
    contentEncoding: undefined,
    contentLength: undefined,
    location: undefined,
    retryAfter: undefined,
  };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // The five names differ in length: one comparison rules out most headers.
    switch (name.length) {
      case 12:
        if (nameIs(name, CONTENT_TYPE)) head.contentType = add(head.contentType, text(raw[i + 1]!));
        break;
      case 16:
        if (nameIs(name, CONTENT_ENCODING)) head.contentEncoding = add(head.contentEncoding, text(raw[i + 1]!));
        break;
      case 14:
        if (nameIs(name, CONTENT_LENGTH)) head.contentLength = add(head.contentLength, text(raw[i + 1]!));
        break;
      case 8:
        if (nameIs(name, LOCATION)) head.location = add(head.location, text(raw[i + 1]!));
        break;
      case 11:
        if (nameIs(name, RETRY_AFTER)) head.retryAfter = add(head.retryAfter, text(raw[i + 1]!));
        break;
    }
  }
  return head;
}

