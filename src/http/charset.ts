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

/**
 * The encoding a byte order mark at the start of `bytes` announces, or undefined.
 *
 * @example
 * ```ts
 * sniffBom(Buffer.from([0xef, 0xbb, 0xbf, 0x3c])); // 'utf-8'
 * ```
 */
export function sniffBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** How many leading bytes the prescan looks at (HTML spec: 1024). */
export const PRESCAN_BYTES = 1024;

const WHITESPACE = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20]);

function isSpace(code: number | undefined): boolean {
  return code !== undefined && WHITESPACE.has(code);
}

function isAlpha(code: number | undefined): boolean {
  return code !== undefined && ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a));
}

/**
 * The charset named by a `content` attribute, per the HTML spec.
 *
 * @example
 * ```ts
 * charsetFromContent('text/html; charset=koi8-r'); // 'koi8-r'
 * ```
 */
export function charsetFromContent(content: string): string | undefined {
  const lower = content.toLowerCase();
  let from = 0;
  for (;;) {
    const at = lower.indexOf('charset', from);
    if (at === -1) return undefined;
    let i = at + 7;
    while (isSpace(lower.charCodeAt(i))) i++;
    if (lower[i] !== '=') {
      from = at + 7;
      continue;
    }
    i++;
    while (isSpace(lower.charCodeAt(i))) i++;
    const quote = lower[i];
    if (quote === '"' || quote === "'") {
      const end = lower.indexOf(quote, i + 1);
      return end === -1 ? undefined : lower.slice(i + 1, end) || undefined;
    }
    let end = i;
    while (end < lower.length && !isSpace(lower.charCodeAt(end)) && lower[end] !== ';') end++;
    return lower.slice(i, end) || undefined;
  }
}

/**
 * The HTML spec's prescan: walks the first bytes as a tag soup, skipping comments and other tags'
 * attributes (so a `>` or `charset=` inside them cannot fool it), and returns the first usable
 * encoding declared by `<meta charset>` or `<meta http-equiv="content-type" content="...charset=">`.
 *
 * @example
 * ```ts
 * prescanCharset(Buffer.from('<meta charset="windows-1251"><title>...')); // 'windows-1251'
 * ```
 */
export function prescanCharset(bytes: Uint8Array): string | undefined {
  // latin1 maps each byte to one code unit, so indices are byte offsets.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PRESCAN_BYTES)).toString('latin1');
  const length = text.length;
  let i = 0;

  // Reads one attribute from i; returns undefined at the end of the tag.
  function attribute(): [string, string] | undefined {
    while (i < length && (isSpace(text.charCodeAt(i)) || text[i] === '/')) i++;
    if (i >= length || text[i] === '>') return undefined;
    let name = '';
    let value = '';
    for (; i < length; i++) {
      const c = text[i]!;
      if (c === '=' && name !== '') break;
      if (isSpace(c.charCodeAt(0))) {
        while (isSpace(text.charCodeAt(i))) i++;
        if (text[i] !== '=') return [name, ''];
        break;
      }
      if (c === '/' || c === '>') return [name, ''];
      name += c.toLowerCase();
    }
    if (i >= length) return [name, ''];
    i++; // the '='
    while (isSpace(text.charCodeAt(i))) i++;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      const end = text.indexOf(quote, i + 1);
      if (end === -1) {
        i = length;
        return [name, ''];
      }
      value = text.slice(i + 1, end);
      i = end + 1;
      return [name, value.toLowerCase()];
    }
    const start = i;
    while (i < length && !isSpace(text.charCodeAt(i)) && text[i] !== '>') i++;
    return [name, text.slice(start, i).toLowerCase()];
  }

  while (i < length) {
    // Only a '<' starts anything the prescan cares about.
    i = text.indexOf('<', i);
    if (i === -1) return undefined;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return undefined;
      i = end + 3;
    } else if (
      text.slice(i, i + 5).toLowerCase() === '<meta' &&
      (isSpace(text.charCodeAt(i + 5)) || text[i + 5] === '/')
    ) {
      i += 6;
      const seen = new Set<string>();
      let gotPragma = false;
      let needPragma: boolean | undefined;
      let charset: string | undefined;
      for (let attr = attribute(); attr; attr = attribute()) {
        const [name, value] = attr;
        if (seen.has(name)) continue;
        seen.add(name);
        if (name === 'http-equiv' && value === 'content-type') gotPragma = true;
        else if (name === 'content' && charset === undefined) {
          const found = charsetFromContent(value);
          if (found !== undefined) {
            charset = found;
            needPragma = true;
          }
        } else if (name === 'charset') {
          charset = value;
          needPragma = false;
        }
      }
      if (charset !== undefined && !(needPragma === true && !gotPragma)) {
        let encoding = canonicalEncoding(charset);
        // The spec's two corrections: a UTF-16 page could not have been prescanned as ASCII.
        if (encoding === 'utf-16le' || encoding === 'utf-16be') encoding = 'utf-8';
        if (encoding === 'x-user-defined') encoding = 'windows-1252';
        if (encoding !== undefined) return encoding;
      }
    } else if (text[i] === '<' && (isAlpha(text.charCodeAt(i + 1)) || (text[i + 1] === '/' && isAlpha(text.charCodeAt(i + 2))))) {
      // Another tag: skip its name, then its attributes, so their values are not scanned.
      i += text[i + 1] === '/' ? 2 : 1;
      while (i < length && !isSpace(text.charCodeAt(i)) && text[i] !== '>') i++;
      while (attribute());
      i++;
    } else if (text[i] === '<' && (text[i + 1] === '!' || text[i + 1] === '/' || text[i + 1] === '?')) {
      const end = text.indexOf('>', i + 2);
      if (end === -1) return undefined;
      i = end + 1;
    } else {
      i++;
    }
  }
  return undefined;
}
