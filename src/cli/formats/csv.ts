/**
 * `--format csv`: RFC 4180 records under a header, with spreadsheet formulas neutralised (OWASP's
 * CSV-injection rule) and, on a terminal, control characters shown rather than obeyed.
 */
import type { FetchRow } from '../../http/types.js';
import { visibleText } from '../controls.js';
import type { RowFormatter } from './types.js';

/**
 * The CSV header: the {@link FetchRow} fields in order, snake_case, with `error` split in two.
 *
 * @example
 * ```ts
 * CSV_HEADER.split(','); // ['url', 'ok', 'status', 'title', ..., 'error_code', 'error_message']
 * ```
 */
export const CSV_HEADER = 'url,ok,status,title,final_url,redirects,bytes,time_ms,attempts,error_code,error_message';

/**
 * Options of {@link csvFormatter}.
 *
 * @example
 * ```ts
 * const options: CsvOptions = { json: false, terminal: false, raw: false };
 * ```
 */
export interface CsvOptions {
  /** JSON mode: a `json` column with the body as JSON text. */
  json: boolean;
  /** Written to a terminal: control characters in text cells are shown as symbols (`␛`). */
  terminal: boolean;
  /** `--csv-raw`: write text cells exactly, formulas included. Default false. */
  raw: boolean;
}

// A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * `--format csv`: {@link CSV_HEADER} then one record per row. Fields containing `,`, `"`, CR or LF
 * are quoted with quotes doubled; LF line endings, as Unix tools expect (RFC 4180 readers accept
 * them); `null` is an empty field, booleans `true`/`false`. A text cell that starts with `=`, `+`,
 * `-`, `@`, tab or CR gets a leading `'` so that a spreadsheet shows it instead of running it,
 * unless `raw`.
 *
 * @example
 * ```ts
 * csvFormatter({ json: false, terminal: false, raw: false }).row(row); // header + 'https://example.com/,true,200,...\n'
 * ```
 */
export function csvFormatter(options: CsvOptions): RowFormatter {
  const header = options.json ? `${CSV_HEADER},json\n` : `${CSV_HEADER}\n`;
  let started = false;
  const text = (value: string | null): string => csvTextCell(value, options);
  return {
    row(row) {
      const cells = [
        text(row.url),
        String(row.ok),
        String(row.status),
        text(row.title),
        text(row.finalUrl),
        String(row.redirects),
        String(row.bytes),
        String(row.timeMs),
        String(row.attempts),
        text(row.error?.code ?? null),
        text(row.error?.message ?? null),
      ];
      if (options.json) cells.push(text(row.json === undefined ? null : JSON.stringify(row.json)));
      const record = cells.join(',') + '\n';
      if (started) return record;
      started = true;
      return header + record;
    },
    end: () => (started ? '' : header),
  };
}

/**
 * One text cell: null is empty; on a terminal control characters are shown, not obeyed; a formula
 * start gets a leading `'` unless `raw`; quoted per RFC 4180 when it must be.
 *
 * @example
 * ```ts
 * csvTextCell('=1+1', { terminal: false, raw: false }); // "'=1+1"
 * csvTextCell('a,b', { terminal: false, raw: false }); // '"a,b"'
 * ```
 */
export function csvTextCell(value: string | null, options: { terminal: boolean; raw: boolean }): string {
  if (value === null) return '';
  let s = options.terminal ? visibleText(value) : value;
  if (!options.raw && FORMULA_START.test(s)) s = `'${s}`;
  return quote(s);
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
