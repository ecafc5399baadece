/**
 * The text of a title once found: its entities decoded (with htmlparser2's own RCDATA rules) and
 * its whitespace collapsed, as `document.title` does.
 */
import type { Parser } from 'htmlparser2';
import { parserClass } from './load.js';

/**
 * HTML's ASCII whitespace, collapsed to one space and trimmed, as `document.title` does.
 *
 * @example
 * ```ts
 * collapseWhitespace('  Fish &\n  Chips '); // 'Fish & Chips'
 * ```
 */
export function collapseWhitespace(text: string): string {
  return isCollapsed(text) ? text : text.replace(/[\t\n\f\r ]+/g, ' ').trim();
}

/**
 * True when collapsing would change nothing (most titles): no ASCII whitespace but single inner
 * spaces, and printable ASCII at both ends (which `trim()` never removes).
 */
function isCollapsed(text: string): boolean {
  const last = text.length - 1;
  if (last < 0) return true;
  const first = text.charCodeAt(0);
  const end = text.charCodeAt(last);
  if (first <= 0x20 || first >= 0x7f || end <= 0x20 || end >= 0x7f) return false;
  for (let i = 1; i < last; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (text.charCodeAt(i + 1) === 0x20) return false;
    } else if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) {
      return false;
    }
  }
  return true;
}

// Entities are decoded in the title only. The document parser runs with decodeEntities off: then
// htmlparser2 skips plain text with indexOf('<') instead of a per-character loop, which makes a
// title-less 10 MB page (or a decompression bomb) several times cheaper to scan.
let entityParser: Parser | undefined;
let entityText = '';

/** Decodes the entities of raw `<title>` content, with the same tokenizer rules (RCDATA) as a page. */
export function decodeTitleText(raw: string): string {
  if (!raw.includes('&')) return raw;
  entityParser ??= new (parserClass())(
    {
      ontext(data) {
        entityText += data;
      },
    },
    { decodeEntities: true },
  );
  entityText = '';
  try {
    entityParser.reset();
    // The raw text cannot contain "</title" (the page's title ended there), so this is one RCDATA run.
    entityParser.end(`<title>${raw}</title>`);
    return entityText;
  } catch {
    return raw;
  } finally {
    entityText = '';
  }
}
