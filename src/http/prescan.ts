/**
 * The byte-level half of deciding a page's encoding: a byte order mark, and the WHATWG prescan of
 * the first 1024 bytes for a `<meta charset>` or `<meta http-equiv=Content-Type>`.
 */
import { canonicalEncoding } from './charset.js';

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
