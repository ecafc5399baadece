/**
 * Which character encoding a page is in, the way browsers decide it (WHATWG HTML "determining the
 * character encoding"), minus the statistical guessing: a byte order mark, then the Content-Type
 * charset, then a `<meta>` found by the prescan of the first 1024 bytes, else UTF-8. Unknown names
 * never fail: they are skipped as if absent.
 */
import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';

/** The media type and charset parameter of a Content-Type header, lower-cased. */
export interface ContentType {
  /** `text/html`, `application/json`...; empty when the header is missing. */
  mime: string;
  /** The `charset` parameter as sent, or undefined. */
  charset: string | undefined;
}

/**
 * Splits a Content-Type header value. The result is shared (frozen): do not change it.
 *
 * @example
 * ```ts
 * parseContentType('text/html; charset="Shift_JIS"'); // { mime: 'text/html', charset: 'shift_jis' }
 * ```
 */
export function parseContentType(header: string | string[] | undefined): ContentType {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return NO_CONTENT_TYPE;
  // A crawl sees the same few Content-Type values over and over: parse each once.
  let parsed = contentTypeCache.get(value);
  if (parsed === undefined) {
    parsed = Object.freeze(splitContentType(value));
    // Bounded: header values come from the network, and a hostile server could send endless new ones.
    if (contentTypeCache.size < 256) contentTypeCache.set(value, parsed);
  }
  return parsed;
}

const NO_CONTENT_TYPE: ContentType = Object.freeze({ mime: '', charset: undefined });
const contentTypeCache = new Map<string, ContentType>();

function splitContentType(value: string): ContentType {
  const [type = '', ...params] = value.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase() || undefined;
    break;
  }
  return { mime: type.trim().toLowerCase(), charset };
}

/**
 * True for media types whose title we look for: HTML, XHTML, and a missing type (browsers sniff
 * those; a body that is not HTML simply has no title).
 *
 * @example
 * ```ts
 * isHtmlType('text/html'); // true
 * isHtmlType('application/octet-stream'); // false: not read at all
 * ```
 */
export function isHtmlType(mime: string): boolean {
  return mime === '' || mime === 'text/html' || mime === 'application/xhtml+xml';
}

/** Labels seen so far, resolved: creating an ICU converter just to ask its name costs microseconds. */
const canonicalCache = new Map<string, string | undefined>([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
]);

/**
 * The canonical WHATWG name of an encoding label (`latin1` -> `windows-1252`), or undefined when
 * this runtime does not know it.
 *
 * @example
 * ```ts
 * canonicalEncoding('Shift_JIS'); // 'shift_jis'
 * canonicalEncoding('x-no-such-charset'); // undefined
 * ```
 */
export function canonicalEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const key = label.trim().toLowerCase();
  if (canonicalCache.has(key)) return canonicalCache.get(key);
  let encoding: string | undefined;
  try {
    encoding = new TextDecoder(key).encoding;
  } catch {
    encoding = undefined;
  }
  // Bounded: labels come from the network, and a hostile server could send endless new ones.
  if (canonicalCache.size < 256) canonicalCache.set(key, encoding);
  return encoding;
}

/** Streaming bytes-to-text: chunks may split multi-byte characters anywhere. */
export interface Decoder {
  /** The canonical encoding name. */
  readonly encoding: string;
  /** Decodes the next bytes, keeping an incomplete character for the next call. */
  write(bytes: Uint8Array): string;
  /** Flushes what is kept (an incomplete character becomes U+FFFD). */
  end(): string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * UTF-8 through node's native StringDecoder: much cheaper to create than an ICU TextDecoder, and
 * reusable: {@link Utf8Decoder.reset} readies it for the next document.
 */
export class Utf8Decoder implements Decoder {
  readonly encoding = 'utf-8';
  readonly #decoder = new StringDecoder('utf8');
  #start = true;
  #held: Buffer | undefined; // fewer than 3 leading bytes: a BOM may still be arriving

  write(bytes: Uint8Array): string {
    let buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    if (this.#start) {
      if (this.#held) buffer = Buffer.concat([this.#held, buffer]);
      if (buffer.length < 3 && buffer.every((b, i) => b === UTF8_BOM[i])) {
        this.#held = buffer;
        return '';
      }
      this.#start = false;
      this.#held = undefined;
      // A UTF-8 BOM is not text (the TextDecoder strips it too).
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) buffer = buffer.subarray(3);
    }
    return this.#decoder.write(buffer);
  }

  end(): string {
    const rest = this.#held ? this.#decoder.write(this.#held) : '';
    this.#held = undefined;
    return rest + this.#decoder.end();
  }

  /** Forgets everything, a character cut in half included: ready for another document. */
  reset(): void {
    this.#decoder.end();
    this.#start = true;
    this.#held = undefined;
  }
}

/**
 * A streaming decoder for `label`; UTF-8 when the label is unknown or missing.
 *
 * @example
 * ```ts
 * const decoder = createDecoder('windows-1251');
 * decoder.write(Buffer.from([0xcf, 0xf0])) + decoder.end(); // 'Пр'
 * ```
 */
export function createDecoder(label: string | undefined): Decoder {
  const encoding = canonicalEncoding(label) ?? 'utf-8';
  if (encoding === 'utf-8') return new Utf8Decoder();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    return new Utf8Decoder();
  }
  return {
    encoding: decoder.encoding,
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

export { PRESCAN_BYTES, charsetFromContent, prescanCharset, sniffBom } from './prescan.js';
