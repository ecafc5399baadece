/**
 * `--fields a,b,c`: the columns of the output, in that order, for every format: the CSV header and
 * records, the table's columns, the keys of JSON rows. Names are the row's (`finalUrl`) or the CSV
 * header's (`final_url`), plus `errorCode`, `errorMessage`, `tlsProtocol`, `tlsNotAfter`.
 */
import { InvalidArgumentError } from 'commander';
import type { FetchRow } from '../http/types.js';
import { visibleText } from './controls.js';
import type { OutputFormat, RowWriter, RowWriterOptions } from './formats.js';
import { csvTextCell } from './formats/csv.js';
import { Sink } from './formats/sink.js';
import { clipEnd, padEndColumns } from './terminal.js';

type Value = string | number | boolean | null;

/** Every field `--fields` knows: its value, its table width. */
const FIELDS: Record<string, { value: (row: FetchRow) => unknown; width: number }> = {
  url: { value: (r) => r.url, width: 40 },
  ok: { value: (r) => r.ok, width: 5 },
  status: { value: (r) => r.status, width: 6 },
  title: { value: (r) => r.title, width: 30 },
  finalUrl: { value: (r) => r.finalUrl, width: 40 },
  redirects: { value: (r) => r.redirects, width: 9 },
  bytes: { value: (r) => r.bytes, width: 8 },
  timeMs: { value: (r) => r.timeMs, width: 7 },
  attempts: { value: (r) => r.attempts, width: 8 },
  error: { value: (r) => r.error, width: 30 },
  errorCode: { value: (r) => r.error?.code ?? null, width: 18 },
  errorMessage: { value: (r) => r.error?.message ?? null, width: 30 },
  contentType: { value: (r) => r.contentType ?? null, width: 24 },
  contentLength: { value: (r) => r.contentLength ?? null, width: 13 },
  tls: { value: (r) => r.tls ?? null, width: 34 },
  tlsProtocol: { value: (r) => r.tls?.protocol ?? null, width: 11 },
  tlsNotAfter: { value: (r) => r.tls?.notAfter ?? null, width: 24 },
  headers: { value: (r) => r.headers ?? null, width: 30 },
  duplicateOf: { value: (r) => r.duplicateOf ?? null, width: 11 },
  downgraded: { value: (r) => r.downgraded ?? false, width: 10 },
  index: { value: (r) => r.index ?? null, width: 6 },
  json: { value: (r) => r.json ?? null, width: 30 },
};

const BY_LOOSE_NAME = new Map(Object.keys(FIELDS).map((name) => [name.toLowerCase(), name]));

/**
 * Parses "url,status,content_type" into known field names (commander flag parser).
 *
 * @example
 * ```ts
 * fieldsFlag('url,final_url,tls_protocol'); // ['url', 'finalUrl', 'tlsProtocol']
 * ```
 */
export function fieldsFlag(value: string): string[] {
  const fields = value.split(',').map((raw) => {
    const name = BY_LOOSE_NAME.get(raw.trim().replace(/_/g, '').toLowerCase());
    if (name === undefined) throw new InvalidArgumentError(`unknown field "${raw.trim()}"; known: ${Object.keys(FIELDS).join(', ')}.`);
    return name;
  });
  return fields;
}

/** A value as one CSV field or table cell: objects as compact JSON, tls as "protocol notAfter". */
function flat(name: string, value: unknown): Value {
  if (value === null || typeof value !== 'object') return value as Value;
  if (name === 'tls') return `${(value as { protocol: string }).protocol} ${(value as { notAfter: string }).notAfter}`;
  if (name === 'error') return `${(value as { code: string }).code}: ${(value as { message: string }).message}`;
  return JSON.stringify(value);
}

/**
 * A row writer that writes only `fields`, in that order, in `format`. Same streaming and
 * backpressure as the writers of formats.ts.
 *
 * @example
 * ```ts
 * const writer = createFieldWriter('csv', process.stdout, ['url', 'status', 'contentType']);
 * await writer.write(row);
 * await writer.end();
 * ```
 */
export function createFieldWriter(format: OutputFormat, out: NodeJS.WritableStream, fields: readonly string[], options: RowWriterOptions = {}): RowWriter {
  const sink = new Sink(out, options.batch === true);
  let count = 0;
  let closing = '';
  let line: (row: FetchRow) => string;
  if (format === 'csv') {
    const header = fields.join(',') + '\n';
    const cell = { terminal: options.terminal === true, raw: options.csvRaw === true };
    line = (row) =>
      (count === 1 ? header : '') +
      fields.map((f) => {
        const value = flat(f, FIELDS[f]!.value(row));
        return typeof value === 'string' ? csvTextCell(value, cell) : value === null ? '' : String(value);
      }).join(',') + '\n';
    closing = header;
  } else if (format === 'table') {
    const widths = fields.map((f) => Math.max(f.length, FIELDS[f]!.width));
    const cells = (values: string[]): string =>
      values.map((v, i) => (i === values.length - 1 ? clipEnd(v, widths[i]!) : padEndColumns(clipEnd(v, widths[i]!), widths[i]!))).join('  ') + '\n';
    line = (row) => (count === 1 ? cells([...fields]) : '') + cells(fields.map((f) => visibleText(String(flat(f, FIELDS[f]!.value(row)) ?? ''))));
  } else {
    const object = (row: FetchRow): string => JSON.stringify(Object.fromEntries(fields.map((f) => [f, FIELDS[f]!.value(row)])));
    line = format === 'json' ? (row) => (count === 1 ? '[\n' : ',\n') + object(row) : (row) => object(row) + '\n';
    closing = format === 'json' ? '[]\n' : '';
  }
  return {
    write(row) {
      count += 1;
      return sink.write(line(row));
    },
    async end() {
      const tail = count > 0 ? (format === 'json' ? '\n]\n' : '') : closing;
      await sink.finish(tail, options.endStream === true);
    },
  };
}
