/**
 * `--format table`, for people at a terminal: `#  status  time  url  title / error`, one line per
 * row as it arrives, fitted to the terminal width. Column widths are fixed for the run, so rows
 * written one at a time line up.
 */
import type { FetchRow } from '../../http/types.js';
import { formatDuration } from '../summary.js';
import { visibleText } from '../controls.js';
import { ANSI, clipEnd, clipUrl, padEndColumns, paint } from '../terminal.js';
import type { RowFormatter } from './types.js';

/**
 * Options of {@link tableFormatter}.
 *
 * @example
 * ```ts
 * const options: TableOptions = { columns: process.stdout.columns ?? 100, color: true, json: false };
 * ```
 */
export interface TableOptions {
  /** The width to fit lines into. */
  columns: number;
  /** Status coloured by class (2xx green, 3xx cyan, 4xx yellow, 5xx and errors red), error codes red, header dim. */
  color: boolean;
  /** JSON mode: a preview of the body where a page would show its title. */
  json: boolean;
  /** How many rows will come, when known: the `#` column is as wide as the largest number. */
  total?: number;
}

const STATUS_W = 6; // "status"
const TIME_W = 6; // "1.23 s", "804 ms", "2m 05s"
const GAP = '  ';
const MIN_URL_W = 12;
const MAX_URL_W = 70;
const MIN_TEXT_W = 8;

/**
 * The table: the URL column takes half of what the fixed columns leave (up to 70 columns; long
 * URLs are shortened in the middle, so the host and the end of the path stay visible), the title
 * or error takes the rest. One column is left free at the right edge: writing into a terminal's
 * last column makes some terminals wrap. Widths are measured with string-width, and text is made
 * safe first (control characters shown, not obeyed).
 *
 * @example
 * ```ts
 * const table = tableFormatter({ columns: 80, color: false, json: false });
 * process.stdout.write(table.row(row)); // header line, then the row's line
 * ```
 */
export function tableFormatter(options: TableOptions): RowFormatter {
  const width = Number.isFinite(options.columns) && options.columns > 0 ? Math.floor(options.columns) : 100;
  const indexW = options.total !== undefined && options.total > 0 ? Math.max(2, String(options.total).length) : 5;
  const fixed = indexW + STATUS_W + TIME_W + GAP.length * 4 + 1;
  const flexible = Math.max(MIN_URL_W + MIN_TEXT_W, width - fixed);
  const urlW = Math.min(MAX_URL_W, Math.max(MIN_URL_W, Math.floor(flexible / 2)));
  const textW = Math.max(MIN_TEXT_W, flexible - urlW);
  const color = options.color;
  let index = 0;

  const header = (): string =>
    paint(
      '#'.padStart(indexW) + GAP + 'status'.padStart(STATUS_W) + GAP + 'time'.padStart(TIME_W) + GAP + padEndColumns('url', urlW) + GAP + clipEnd('title / error', textW),
      ANSI.dim,
      color,
    ) + '\n';

  const line = (row: FetchRow): string => {
    const status = (row.status > 0 ? String(row.status) : '-').padStart(STATUS_W);
    // Clip and pad before colouring, so escape codes never count towards a width.
    const url = padEndColumns(clipUrl(visibleText(row.url), urlW), urlW);
    return (
      String(index).padStart(indexW) +
      GAP +
      paint(status, statusColor(row), color) +
      GAP +
      formatDuration(row.timeMs).padStart(TIME_W) +
      GAP +
      url +
      GAP +
      textCell(row, textW, color, options.json)
    ).trimEnd() + '\n';
  };

  return {
    row(row) {
      index += 1;
      return index === 1 ? header() + line(row) : line(row);
    },
    end: () => '',
  };
}

/** Colour of the status by class; a failure without a status, or with a 2xx/3xx one (a bad body), is red. */
function statusColor(row: FetchRow): string {
  const s = row.status;
  if (s === 0 || s >= 500) return ANSI.red;
  if (s >= 400) return ANSI.yellow;
  if (!row.ok) return ANSI.red;
  return s >= 300 ? ANSI.cyan : ANSI.green;
}

/** The title, or `code message` for a failed row, or a JSON preview in JSON mode. */
function textCell(row: FetchRow, width: number, color: boolean, json: boolean): string {
  if (!row.ok && row.error) {
    const code = row.error.code;
    const plain = clipEnd(`${code} ${visibleText(row.error.message)}`, width);
    return plain.startsWith(code + ' ') ? paint(code, ANSI.red, color) + plain.slice(code.length) : plain;
  }
  let title = row.title === null ? '' : visibleText(row.title);
  if (title === '' && json && row.json !== undefined) title = visibleText(jsonPreview(row.json));
  return clipEnd(title, width);
}

/** A compact one-line JSON preview, bounded before clipping so a huge body costs little. */
function jsonPreview(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? '';
  } catch {
    s = '';
  }
  return s.length > 1000 ? s.slice(0, 1000) : s;
}
