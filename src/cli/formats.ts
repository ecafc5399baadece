/**
 * Output side of `gather fetch`: one streaming writer per `--format`. Rows are written as they
 * arrive (never collected), and `write` waits for the stream to drain when its buffer is full, so a
 * million-row run to a slow pipe keeps memory flat.
 */
import type { FetchRow } from '../http/types.js';
import { formatDuration } from './summary.js';

/**
 * The values `--format` accepts.
 *
 * @example
 * ```ts
 * const format: OutputFormat = process.stdout.isTTY ? 'table' : 'jsonl';
 * ```
 */
export type OutputFormat = 'table' | 'jsonl' | 'csv' | 'json';

/**
 * Every {@link OutputFormat}, for flag validation and `--help`.
 *
 * @example
 * ```ts
 * new Option('--format <format>').choices(OUTPUT_FORMATS); // commander
 * ```
 */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'jsonl', 'csv', 'json'];

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
  /** Table only: ANSI colours (error codes in red, header dimmed). Default false. */
  color?: boolean;
  /** Table only: the width to fit lines into. Default `out.columns`, else 100. */
  columns?: number;
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
 * The most text a batching writer holds before it writes; at most half the stream's high-water
 * mark, so that a batch alone never makes the stream say it is full.
 */
export const BATCH_BYTES = 64 * 1024;

/** The longest a batching writer holds a finished row before writing it. */
export const BATCH_MS = 5;

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
 * The CSV header: the {@link FetchRow} fields in order, snake_case, with `error` split in two.
 *
 * @example
 * ```ts
 * CSV_HEADER.split(','); // ['url', 'ok', 'status', 'title', ..., 'error_code', 'error_message']
 * ```
 */
export const CSV_HEADER = 'url,ok,status,title,final_url,redirects,bytes,time_ms,attempts,error_code,error_message';

/**
 * Create a streaming row writer.
 *
 * - `jsonl`: one JSON object per line, fields in {@link FetchRow} order (`url, ok, status, title,
 *   finalUrl, redirects, bytes, timeMs, attempts, error`, plus `json` in JSON mode).
 * - `json`: the same objects as one JSON array, one per line; `[` comes with the first row and `]`
 *   with `end()`, so output ended early (Ctrl-C) is still a valid array, `[]` for zero rows.
 * - `csv`: {@link CSV_HEADER} then one record per row, RFC 4180 quoting (fields containing `,`, `"`,
 *   CR or LF are quoted, quotes doubled), LF line endings as Unix tools expect (RFC 4180 readers
 *   accept them). `null` is an empty field, booleans are `true`/`false`.
 * - `table`: for people at a terminal: `#  status  time  title / error  url`, one line per row as it
 *   arrives, clipped to the terminal width; control characters in URLs and titles are shown as
 *   visible symbols (U+2400 block) so a hostile line cannot drive the terminal.
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
export function createRowWriter(
  format: OutputFormat,
  out: NodeJS.WritableStream,
  options: RowWriterOptions = {},
): RowWriter {
  const sink = new Sink(out, options.batch === true);
  const json = options.json === true;
  let ended = false;

  const make = (writeRow: (row: FetchRow) => Promise<void> | void, closing: () => string): RowWriter => ({
    write(row) {
      if (ended) throw new Error('row writer already ended');
      return writeRow(row);
    },
    async end() {
      if (ended) return;
      ended = true;
      await sink.finish(closing(), options.endStream === true);
    },
  });

  switch (format) {
    case 'jsonl':
      return make(
        (row) => sink.write(JSON.stringify(rowObject(row, json)) + '\n'),
        () => '',
      );
    case 'json': {
      let started = false;
      return make(
        (row) => {
          const prefix = started ? ',\n' : '[\n';
          started = true;
          return sink.write(prefix + JSON.stringify(rowObject(row, json)));
        },
        () => (started ? '\n]\n' : '[]\n'),
      );
    }
    case 'csv': {
      const header = json ? `${CSV_HEADER},json\n` : `${CSV_HEADER}\n`;
      let started = false;
      return make(
        (row) => {
          const line = csvRecord(row, json);
          const text = started ? line : header + line;
          started = true;
          return sink.write(text);
        },
        () => (started ? '' : header),
      );
    }
    case 'table': {
      const table = new TableLayout(
        options.columns ?? (out as { columns?: number }).columns ?? 100,
        options.color === true,
        json,
      );
      let index = 0;
      return make(
        (row) => {
          index += 1;
          const line = table.line(index, row) + '\n';
          return sink.write(index === 1 ? table.header() + '\n' + line : line);
        },
        () => '',
      );
    }
    default:
      throw new TypeError(`unknown output format '${String(format)}', expected one of ${OUTPUT_FORMATS.join(', ')}`);
  }
}

/** A row as a plain object with a fixed key order (JSON.stringify follows insertion order). */
function rowObject(row: FetchRow, json: boolean): Record<string, unknown> {
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
  if (json) o.json = row.json === undefined ? null : row.json;
  if (row.index !== undefined) o.index = row.index; // --unordered: the row's input position
  return o;
}

function csvRecord(row: FetchRow, json: boolean): string {
  const fields: Array<string | number | boolean | null> = [
    row.url,
    row.ok,
    row.status,
    row.title,
    row.finalUrl,
    row.redirects,
    row.bytes,
    row.timeMs,
    row.attempts,
    row.error?.code ?? null,
    row.error?.message ?? null,
  ];
  if (json) fields.push(row.json === undefined ? null : JSON.stringify(row.json));
  return fields.map(csvField).join(',') + '\n';
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// ---------------------------------------------------------------------------------------------
// Backpressure

type WritableLike = NodeJS.WritableStream & {
  destroyed?: boolean;
  writableEnded?: boolean;
  writableNeedDrain?: boolean;
};

/** Writes strings to a stream, waiting for 'drain' when it says so, and remembering its failure. */
class Sink {
  readonly #out: WritableLike;
  #error: Error | null = null;
  /** Batching: the most text held before writing, else 0. */
  readonly #batchBytes: number;
  #pending = '';
  #flushing: NodeJS.Timeout | undefined;

  constructor(out: NodeJS.WritableStream, batch: boolean) {
    this.#out = out as WritableLike;
    const highWaterMark = (out as { writableHighWaterMark?: number }).writableHighWaterMark ?? BATCH_BYTES;
    // Half the stream's high-water mark at most: a batch alone never makes the stream say "full".
    this.#batchBytes = batch ? Math.max(1, Math.min(BATCH_BYTES, Math.floor(highWaterMark / 2))) : 0;
    // Without a listener a stream 'error' (EPIPE) crashes the process; record it and report it
    // through the next write or end, where the caller can decide (e.g. exit quietly on EPIPE).
    this.#out.on('error', (err: Error) => {
      this.#error ??= err;
    });
  }

  write(chunk: string): Promise<void> | void {
    this.#check();
    if (this.#batchBytes === 0) {
      if (!this.#out.write(chunk)) return this.#drain();
      return;
    }
    this.#pending += chunk;
    if (this.#pending.length >= this.#batchBytes) this.#writePending();
    // The batch goes out shortly, with whatever else finishes meanwhile.
    else this.#flushing ??= setTimeout(this.#flushLater, BATCH_MS);
    // The stream is full (this batch or an earlier one): wait before the next row.
    if (this.#out.writableNeedDrain) return this.#drain();
  }

  async finish(chunk: string, endStream: boolean): Promise<void> {
    this.#check();
    this.#pending += chunk;
    this.#writePending();
    if (this.#out.writableNeedDrain) await this.#drain();
    if (endStream) {
      await new Promise<void>((resolve) => {
        this.#out.end(() => resolve());
      });
    }
    if (this.#error) throw this.#error;
  }

  /** Writes the text held, if any. Backpressure is left to the caller (writableNeedDrain). */
  #writePending(): void {
    if (this.#flushing !== undefined) {
      clearTimeout(this.#flushing);
      this.#flushing = undefined;
    }
    const text = this.#pending;
    if (text === '') return;
    this.#pending = '';
    this.#out.write(text);
  }

  readonly #flushLater = (): void => {
    this.#flushing = undefined;
    if (this.#error || this.#out.destroyed || this.#out.writableEnded) return; // reported by the next call
    this.#writePending();
  };

  #check(): void {
    if (this.#error) throw this.#error;
    if (this.#out.destroyed || this.#out.writableEnded) throw new Error('output stream is closed');
  }

  #drain(): Promise<void> {
    const out = this.#out;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        out.removeListener('drain', onDrain);
        out.removeListener('error', onError);
        out.removeListener('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      // A stream destroyed while we wait never drains: do not hang the run.
      const onClose = (): void => done(this.#error ?? new Error('output stream closed before it drained'));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Table

const INDEX_W = 5;
const STATUS_W = 6;
const TIME_W = 8;
const GAP = '  ';
// index + status + time + three gaps before the title, one gap after it, and one spare column:
// writing into a terminal's last column makes some terminals wrap the line.
const FIXED_W = INDEX_W + STATUS_W + TIME_W + GAP.length * 4 + 1;
const MIN_TEXT_W = 8;

const RED = '\x1b[31m';
const NO_FG = '\x1b[39m';
const DIM = '\x1b[2m';
const NO_DIM = '\x1b[22m';

/** Fixed column widths for one run, so rows written one at a time still line up. */
class TableLayout {
  readonly #titleW: number;
  readonly #urlW: number;
  readonly #color: boolean;
  readonly #json: boolean;

  constructor(columns: number, color: boolean, json: boolean) {
    this.#color = color;
    this.#json = json;
    const width = Number.isFinite(columns) && columns > 0 ? Math.floor(columns) : 100;
    // The title gets a bit less than half of what is left; the URL, the last column, the rest.
    const rest = Math.max(2 * MIN_TEXT_W, width - FIXED_W);
    this.#titleW = Math.max(MIN_TEXT_W, Math.floor(rest * 0.45));
    this.#urlW = Math.max(MIN_TEXT_W, rest - this.#titleW);
  }

  header(): string {
    const line =
      '#'.padStart(INDEX_W) +
      GAP +
      'status'.padStart(STATUS_W) +
      GAP +
      'time'.padStart(TIME_W) +
      GAP +
      padEnd('title / error', this.#titleW) +
      GAP +
      'url';
    return this.#color ? DIM + line + NO_DIM : line;
  }

  line(index: number, row: FetchRow): string {
    const failed = !row.ok && row.error !== null;
    const status = row.status > 0 ? String(row.status) : '-';

    let cell: string;
    if (failed && row.error) {
      const code = row.error.code;
      const plain = padEnd(clip(`${code} ${sanitize(row.error.message)}`, this.#titleW), this.#titleW);
      // Colour after clipping and padding, so escape codes never count towards the width.
      cell = this.#color && plain.startsWith(code + ' ') ? RED + code + NO_FG + plain.slice(code.length) : plain;
    } else {
      let title = row.title === null ? '' : sanitize(row.title);
      if (title === '' && this.#json && row.json !== undefined) title = sanitize(jsonPreview(row.json));
      cell = padEnd(clip(title, this.#titleW), this.#titleW);
    }

    const statusCell = status.padStart(STATUS_W);
    return (
      String(index).padStart(INDEX_W) +
      GAP +
      (this.#color && failed ? RED + statusCell + NO_FG : statusCell) +
      GAP +
      formatDuration(row.timeMs).padStart(TIME_W) +
      GAP +
      cell +
      GAP +
      clip(sanitize(row.url), this.#urlW)
    );
  }
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

/**
 * Make text safe and single-line for a terminal: whitespace runs become one space, other C0/C1
 * controls and DEL become visible symbols, and bidi overrides (which can reorder what the user
 * sees) become U+FFFD.
 */
function sanitize(s: string): string {
  return s
    .replace(/[\t\n\v\f\r ]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return '\ufffd';
    });
}

/** Terminal columns taken by one code point: 0 for combining marks and zero-width characters, 2 for East Asian wide characters and emoji. An approximation of wcwidth, good for titles. */
function charWidth(cp: number): number {
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Terminal columns a string takes (an approximation of wcwidth: wide CJK and emoji count 2,
 * combining marks 0). Exported for tests and for other table-like output.
 *
 * @example
 * ```ts
 * displayWidth('héllo'); // 5
 * displayWidth('日本'); // 4
 * ```
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** Clip to at most `width` columns, ending in `…` when something was cut. */
function clip(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}
