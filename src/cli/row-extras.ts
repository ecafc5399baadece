/**
 * The optional row fields as they go into JSON output (jsonl and json): `contentType`,
 * `contentLength`, `tls`, `headers`, `duplicateOf`, `downgraded` and `index`, each only when the
 * row has it, after the fixed fields, so output of rows without them is unchanged.
 */
import type { FetchRow } from '../http/types.js';

/** The optional fields, in output order. */
export const EXTRA_ROW_FIELDS = ['contentType', 'contentLength', 'tls', 'headers', 'duplicateOf', 'downgraded', 'index'] as const;

/**
 * Copies the optional fields `row` has onto `target` (a row object being built for output).
 *
 * @example
 * ```ts
 * addExtraRowFields(o, row); // o.contentType = 'text/html', o.tls = { protocol: 'TLSv1.3', ... }
 * ```
 */
export function addExtraRowFields(target: Record<string, unknown>, row: FetchRow): void {
  for (const name of EXTRA_ROW_FIELDS) {
    const value = row[name];
    if (value !== undefined) target[name] = value;
  }
}
