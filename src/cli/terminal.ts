/**
 * Text for a person's terminal: how wide a string is on screen (string-width: East Asian wide
 * characters and emoji take two columns, combining marks none), how to clip and pad it, and colour.
 * Making hostile text safe is `controls.ts`.
 */
import stringWidth from 'string-width';

/**
 * Columns `s` takes on a terminal (string-width).
 *
 * @example
 * ```ts
 * displayWidth('日本'); // 4
 * displayWidth('🚀 launch'); // 9
 * ```
 */
export function displayWidth(s: string): number {
  return stringWidth(s);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first graphemes of `s` that fit in `width` columns (string-width measures each grapheme). */
function headOf(s: string, width: number): string {
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

/** The last graphemes of `s` that fit in `width` columns. */
function tailOf(s: string, width: number): string {
  const parts = Array.from(graphemes.segment(s), (g) => g.segment);
  let out = '';
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = stringWidth(parts[i]);
    if (used + w > width) break;
    out = parts[i] + out;
    used += w;
  }
  return out;
}

/**
 * `s` clipped to at most `width` columns, ending in `…` when something was cut; never splits a
 * grapheme (an emoji with its modifiers, a letter with its accents).
 *
 * @example
 * ```ts
 * clipEnd('Herman Melville - Moby-Dick', 12); // "Herman Melv…"
 * ```
 */
export function clipEnd(s: string, width: number): string {
  if (stringWidth(s) <= width) return s;
  if (width <= 0) return '';
  return headOf(s, width - 1) + '…';
}

/** The least of a URL's end kept visible when its start is long, so the page it names shows. */
const MIN_URL_TAIL = 8;

/**
 * A URL shortened in the middle to at most `width` columns: its origin (scheme, host, port) and the
 * end of its path stay visible, the middle becomes `…` (`http://127.0.0.1:8080…/windows-1251`).
 * When the origin leaves too little room, the scheme goes (`127.0.0.1:8080…ws-1251`); when even
 * the host does, the cut falls halfway, keeping both ends.
 *
 * @example
 * ```ts
 * clipUrl('https://example.com/a/very/long/path/to/page.html', 32); // "https://example.com…to/page.html"
 * ```
 */
export function clipUrl(url: string, width: number): string {
  if (stringWidth(url) <= width) return url;
  if (width <= 1) return width === 1 ? '…' : '';
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] ?? '';
  const rest = url.slice(origin.length);
  // The whole origin if it leaves room for the end of the path; else the host without the scheme.
  for (const head of [origin, origin.replace(/^[^:]+:\/\//, '')]) {
    const headW = stringWidth(head);
    if (head !== '' && headW + 1 + MIN_URL_TAIL <= width) return head + '…' + tailOf(rest, width - headW - 1);
  }
  const headW = Math.ceil((width - 1) / 2);
  return headOf(url, headW) + '…' + tailOf(url, width - 1 - headW);
}

/**
 * `s` padded with spaces to `width` columns (unchanged when already as wide).
 *
 * @example
 * ```ts
 * padEndColumns('日本', 6); // "日本  "
 * ```
 */
export function padEndColumns(s: string, width: number): string {
  const w = stringWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/**
 * SGR colours the CLI uses, with their resets (foreground only, so they nest with dim).
 *
 * @example
 * ```ts
 * paint('200', ANSI.green, true); // "\x1b[32m200\x1b[39m"
 * ```
 */
export const ANSI = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  dim: '\x1b[2m',
} as const;

/**
 * `text` wrapped in `color` and its reset when `enabled`, else `text` as it is.
 *
 * @example
 * ```ts
 * paint('failed', ANSI.red, wantsColor('auto', true, process.env));
 * ```
 */
export function paint(text: string, color: string, enabled: boolean): string {
  if (!enabled || text === '') return text;
  return color + text + (color === ANSI.dim ? '\x1b[22m' : '\x1b[39m');
}
