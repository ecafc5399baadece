/**
 * Output side of `gather fetch`: one streaming writer per `--format` (one module each under
 * `formats/`). Rows are written as they arrive (never collected), and `write` waits for the stream
 * to drain when its buffer is full, so a million-row run to a slow pipe keeps memory flat.
 */
import type { FetchRow } from '../http/types.js';
import { csvFormatter } from './formats/csv.js';
import { jsonFormatter } from './formats/json.js';
import { jsonlFormatter } from './formats/jsonl.js';
import { Sink } from './formats/sink.js';
import { tableFormatter } from './formats/table.js';
import { OUTPUT_FORMATS, type OutputFormat, type RowFormatter } from './formats/types.js';

export { CSV_HEADER } from './formats/csv.js';
export { BATCH_BYTES, BATCH_MS } from './formats/sink.js';
export { OUTPUT_FORMATS, type OutputFormat } from './formats/types.js';

/**
 * Options for {@link createRowWriter}.
 *
 * @example
 * ```ts
 * createRowWriter('table', process.stdout, { color: process.stdout.hasColors?.() ?? false });
 * ```
 */
export interface RowWriterOptions {
  /** JSON mode: add the parsed body (`row.json`, `null` when absent) as a `json` field (jsonl/json) or column (csv), or a preview in the table. */
  json?: boolean;
  /** Table only: ANSI colours (status by class, error codes in red, header dimmed). Default false. */
  color?: boolean;
  /** Table only: the width to fit lines into. Default `out.columns`, else 100. */
  columns?: number;
  /** Table only: how many rows will come, when known (sizes the `#` column). */
  total?: number;
  /**
   * The output is a terminal a person reads: control characters from the network are escaped in
   * CSV (shown as `␛`...) and JSON (`\u` escapes for DEL, C1 and bidi controls; JSON already
   * escapes the rest). The table always escapes them. Default false.
   */
  terminal?: boolean;
  /** CSV: write cells starting with `=`, `+`, `-`, `@`, tab or CR as they are (no leading `'`). Default false. */
  csvRaw?: boolean;
  /** Call `out.end()` in `end()`. Default false: the caller owns `out` (and `process.stdout` must never be ended). */
  endStream?: boolean;
  /**
   * Gather the rows finished within {@link BATCH_MS} (up to {@link BATCH_BYTES}) into one write,
   * rather than one write per row: at thousands of rows a second the writes cost more than the
   * formatting. `write` then waits for 'drain' when the stream is full after a batch, a stream
   * error is reported by the next `write` or `end`, and `end` writes what is held. Default false:
   * one write per row.
   */
  batch?: boolean;
}

/**
 * A streaming writer of {@link FetchRow}s in one format.
 *
 * @example
 * ```ts
 * const writer: RowWriter = createRowWriter('csv', file);
 * await writer.write(row); // resolves at once unless the stream is full
 * await writer.end();
 * ```
 */
export interface RowWriter {
  /**
   * Write one row. Returns a promise only when the stream's buffer is full; it resolves on 'drain'
   * (and rejects if the stream fails or closes first), so `await writer.write(row)` is cheap and
   * applies backpressure.
   */
  write(row: FetchRow): Promise<void> | void;
  /** Write the closing part (the `]` of a JSON array, a CSV header if no row came) and wait until the stream has drained. */
  end(): Promise<void>;
}

/**
 * Create a streaming row writer.
 *
 * - `jsonl`: one JSON object per line, fields in {@link FetchRow} order (`url, ok, status, title,
 *   finalUrl, redirects, bytes, timeMs, attempts, error`, plus `json` in JSON mode).
 * - `json`: the same objects as one JSON array, one per line; valid when cut short, `[]` for none.
 * - `csv`: {@link CSV_HEADER} then one RFC 4180 record per row; formula-like cells neutralised.
 * - `table`: for people at a terminal, fitted to its width (see `formats/table.ts`).
 *
 * The writer listens for 'error' on `out`, so a failing output (EPIPE when piped to `head`) surfaces
 * as a rejection of the next `write`/`end` instead of an uncaught exception.
 *
 * @example
 * ```ts
 * const writer = createRowWriter('jsonl', process.stdout);
 * for await (const row of rows) await writer.write(row);
 * await writer.end();
 * ```
 */
export function createRowWriter(format: OutputFormat, out: NodeJS.WritableStream, options: RowWriterOptions = {}): RowWriter {
  const text = formatterFor(format, out, options);
  const sink = new Sink(out, options.batch === true);
  let ended = false;
  return {
    write(row) {
      if (ended) throw new Error('row writer already ended');
      return sink.write(text.row(row));
    },
    async end() {
      if (ended) return;
      ended = true;
      await sink.finish(text.end(), options.endStream === true);
    },
  };
}

function formatterFor(format: OutputFormat, out: NodeJS.WritableStream, options: RowWriterOptions): RowFormatter {
  const json = options.json === true;
  const terminal = options.terminal === true;
  switch (format) {
    case 'jsonl':
      return jsonlFormatter({ json, terminal });
    case 'json':
      return jsonFormatter({ json, terminal });
    case 'csv':
      return csvFormatter({ json, terminal, raw: options.csvRaw === true });
    case 'table':
      return tableFormatter({
        columns: options.columns ?? (out as { columns?: number }).columns ?? 100,
        color: options.color === true,
        json,
        ...(options.total !== undefined ? { total: options.total } : {}),
      });
    default:
      throw new TypeError(`unknown output format '${String(format)}', expected one of ${OUTPUT_FORMATS.join(', ')}`);
  }
}
