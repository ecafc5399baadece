/**
 * The names of the output formats and the shape of one format's text, apart from the writers, so
 * that parsing `--format` loads no writer code.
 */
import type { FetchRow } from '../../http/types.js';

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
 * One format's text: what to write for each row (a header comes with the first), and what to
 * write at the end. Pure text; the writer does the writing.
 *
 * @example
 * ```ts
 * const text: RowFormatter = jsonlFormatter({ json: false, terminal: false });
 * sink.write(text.row(row));
 * ```
 */
export interface RowFormatter {
  row(row: FetchRow): string;
  end(): string;
}
