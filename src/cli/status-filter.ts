/**
 * `--match-status` and `--filter-status`: which rows are written, by final status. A list holds
 * codes (`200`, `0` for rows without a response) and classes (`2xx`, any case). Rows left out are
 * still counted by the summary.
 */
import { InvalidArgumentError } from 'commander';
import type { FetchRow } from '../http/types.js';

/** A parsed list: exact codes and classes (the hundreds digit). */
export interface StatusList {
  codes: ReadonlySet<number>;
  classes: ReadonlySet<number>;
}

/**
 * Parses "200,3xx,404" (commander flag parser: a bad item is one clear sentence).
 *
 * @example
 * ```ts
 * statusListFlag('2xx,404'); // { codes: Set { 404 }, classes: Set { 2 } }
 * ```
 */
export function statusListFlag(value: string): StatusList {
  const codes = new Set<number>();
  const classes = new Set<number>();
  for (const raw of value.split(',')) {
    const item = raw.trim().toLowerCase();
    if (/^[1-5]xx$/.test(item)) classes.add(Number(item[0]));
    else if (/^\d{1,3}$/.test(item) && (item === '0' || Number(item) >= 100)) codes.add(Number(item));
    else throw new InvalidArgumentError(`expected status codes and classes like 200,3xx,404 (0: no response), got "${raw.trim()}".`);
  }
  return { codes, classes };
}

function matches(list: StatusList, status: number): boolean {
  return list.codes.has(status) || (status >= 100 && list.classes.has(Math.floor(status / 100)));
}

/**
 * The row filter of the two flags, or undefined when neither is given: with `match`, only rows
 * whose status is in it; with `filter`, only rows whose status is not.
 *
 * @example
 * ```ts
 * const keep = statusFilter(statusListFlag('2xx'), undefined)!;
 * keep({ status: 404 } as FetchRow); // false
 * ```
 */
export function statusFilter(match: StatusList | undefined, filter: StatusList | undefined): ((row: FetchRow) => boolean) | undefined {
  if (match === undefined && filter === undefined) return undefined;
  return (row) => (match === undefined || matches(match, row.status)) && (filter === undefined || !matches(filter, row.status));
}
