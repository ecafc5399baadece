/** `--format json`: the rows as one JSON array. */
import { rowJson, type JsonTextOptions } from './jsonl.js';
import type { RowFormatter } from './types.js';

/**
 * One JSON array, one row object a line; `[` comes with the first row and `]` at the end, so
 * output ended early (Ctrl-C) is still a valid array, and zero rows are `[]`.
 *
 * @example
 * ```ts
 * const text = jsonFormatter({ json: false, terminal: false });
 * text.row(row) + text.end(); // '[\n{"url":...}\n]\n'
 * ```
 */
export function jsonFormatter(options: JsonTextOptions): RowFormatter {
  let started = false;
  return {
    row(row) {
      const prefix = started ? ',\n' : '[\n';
      started = true;
      return prefix + rowJson(row, options);
    },
    end: () => (started ? '\n]\n' : '[]\n'),
  };
}
