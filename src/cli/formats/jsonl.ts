/** `--format jsonl` (one JSON object a line) and the row object that `json` shares. */
import type { FetchRow } from '../../http/types.js';
import { addExtraRowFields } from '../row-extras.js';
import { escapeJsonControls } from '../controls.js';
import type { RowFormatter } from './types.js';

/**
 * A row as a plain object with a fixed key order (JSON.stringify follows insertion order):
 * `url, ok, status, title, finalUrl, redirects, bytes, timeMs, attempts, error`, then `json` in
 * JSON mode (`null` when absent). Other fields of the row are not written: a new row field joins
 * the output here, on purpose.
 *
 * @example
 * ```ts
 * JSON.stringify(rowObject(row, false)); // '{"url":"https://example.com/","ok":true,...}'
 * ```
 */
export function rowObject(row: FetchRow, json: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    url: row.url,
    ok: row.ok,
    status: row.status,
    title: row.title,
    finalUrl: row.finalUrl,
    redirects: row.redirects,
    bytes: row.bytes,
    timeMs: row.timeMs,
    attempts: row.attempts,
    error: row.error ? { code: row.error.code, message: row.error.message } : null,
  };
  addExtraRowFields(o, row);
  if (json) o.json = row.json === undefined ? null : row.json;
  return o;
}

/**
 * Options of the JSON formats.
 *
 * @example
 * ```ts
 * const options: JsonTextOptions = { json: true, terminal: process.stdout.isTTY === true };
 * ```
 */
export interface JsonTextOptions {
  /** JSON mode: add the parsed body as a `json` field. */
  json: boolean;
  /** Written to a terminal: DEL, C1 and bidi controls become `\u` escapes (C0 ones always are). */
  terminal: boolean;
}

/**
 * One row as JSON text, controls escaped for a terminal when asked.
 *
 * @example
 * ```ts
 * rowJson(row, { json: false, terminal: true });
 * ```
 */
export function rowJson(row: FetchRow, options: JsonTextOptions): string {
  const text = JSON.stringify(rowObject(row, options.json));
  return options.terminal ? escapeJsonControls(text) : text;
}

/**
 * `--format jsonl`: one JSON object per line.
 *
 * @example
 * ```ts
 * jsonlFormatter({ json: false, terminal: false }).row(row); // '{"url":...}\n'
 * ```
 */
export function jsonlFormatter(options: JsonTextOptions): RowFormatter {
  return {
    row: (row) => rowJson(row, options) + '\n',
    end: () => '',
  };
}
