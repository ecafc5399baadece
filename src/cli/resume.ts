/**
 * `--resume` with `-o FILE` (jsonl or csv): the rows FILE already holds are kept and only the other
 * input lines are fetched, rows cut short (`aborted`) included. The new file is written next to FILE
 * and renamed over it at the end (after an interruption too, with every kept row in it), so FILE is
 * never left with fewer rows than it had, whatever happens to the run.
 *
 * FILE's rows are matched to the input in order by URL (output is always in input order, so they
 * are a subsequence of it); a row that matches no input line means FILE was made from another input,
 * which is refused. A half-written last line (a run killed mid-write) is dropped and fetched again.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import type { FetchErrorCode, FetchRow } from '../http/types.js';
import { UsageError } from './errors.js';
import type { OutputFormat } from './formats.js';

/** What a resumed run starts from. */
export interface ResumeState {
  /** Rows kept from FILE, by input index. */
  kept: Map<number, FetchRow>;
  /** Where the run writes; {@link commitResume} moves it over FILE. */
  tempPath: string;
  path: string;
}

/** A row read back from FILE. */
type OldRow = FetchRow;

/**
 * Reads FILE (if it exists) and matches its rows to `input`. Throws UsageError for a format that
 * cannot be resumed, an unreadable file, or a file made from another input.
 *
 * @example
 * ```ts
 * const state = loadResume('rows.jsonl', 'jsonl', lines);
 * // ... write the run to state.tempPath ...
 * commitResume(state);
 * ```
 */
export function loadResume(path: string, format: OutputFormat, input: readonly string[]): ResumeState {
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`gather: --resume works with --format jsonl or csv, not ${format}`);
  const state: ResumeState = { kept: new Map(), tempPath: `${path}.resume-partial`, path };
  if (!existsSync(path)) return state;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`gather: cannot read '${path}' to resume: ${(error as Error).message}`);
  }
  const rows = format === 'jsonl' ? readJsonl(text, path) : readCsv(text, path);
  let next = 0;
  for (let index = 0; index < input.length && next < rows.length; index++) {
    const row = rows[next]!;
    if (row.url !== input[index]) continue;
    next++;
    if (row.error?.code !== 'aborted') state.kept.set(index, row);
  }
  if (next < rows.length) {
    throw new UsageError(
      `gather: cannot resume '${path}': it was written for another input (its row ${next + 1} is for ${JSON.stringify(rows[next]!.url)}, not found in this input in order); write to another file or drop --resume`,
    );
  }
  return state;
}

/**
 * Moves the finished (or interrupted) output over FILE.
 *
 * @example
 * ```ts
 * commitResume(state);
 * ```
 */
export function commitResume(state: ResumeState): void {
  renameSync(state.tempPath, state.path);
}

/** The complete lines of a JSONL file; a last line without its newline that does not parse is dropped. */
function readJsonl(text: string, path: string): OldRow[] {
  const lines = text.split('\n');
  const last = lines.pop() ?? ''; // '' when the file ends with a newline
  const rows: OldRow[] = [];
  const parse = (line: string, number: number, partial: boolean): void => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      if (partial) return; // half-written by a run that was killed: fetched again
      throw new UsageError(`gather: cannot resume '${path}': line ${number} is not a JSON row`);
    }
    if (typeof row !== 'object' || row === null || typeof (row as FetchRow).url !== 'string') {
      throw new UsageError(`gather: cannot resume '${path}': line ${number} is not a gather row (no url)`);
    }
    rows.push(row as OldRow);
  };
  lines.forEach((line, i) => parse(line, i + 1, false));
  parse(last, lines.length + 1, true);
  return rows;
}

/**
 * RFC 4180 records, quoted fields with commas, quotes and line breaks included; an unfinished last
 * record is dropped.
 *
 * @example
 * ```ts
 * csvRecords('url,title\nhttp://a.test/,"x, y"\nhttp://b'); // [['url', 'title'], ['http://a.test/', 'x, y']]
 * ```
 */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n') record.push(field), records.push(record), (record = []), (field = '');
    else if (c !== '\r') field += c;
    i++;
  }
  return records; // a record without its final newline is unfinished: dropped
}

/** CSV columns back into rows, by header name (the default header or a --fields one). */
function readCsv(text: string, path: string): OldRow[] {
  const [header, ...records] = csvRecords(text);
  if (header === undefined) return [];
  const column = (...names: string[]): number => header.findIndex((h) => names.includes(h));
  const at = {
    url: column('url'), ok: column('ok'), status: column('status'), title: column('title'), finalUrl: column('final_url', 'finalUrl'),
    redirects: column('redirects'), bytes: column('bytes'), timeMs: column('time_ms', 'timeMs'), attempts: column('attempts'),
    code: column('error_code', 'errorCode'), message: column('error_message', 'errorMessage'), json: column('json'),
  };
  if (at.url < 0) throw new UsageError(`gather: cannot resume '${path}': its CSV header has no url column`);
  const text_ = (r: string[], i: number): string | null => (i < 0 || r[i] === undefined || r[i] === '' ? null : r[i]!);
  const number = (r: string[], i: number): number => Number(text_(r, i) ?? 0);
  return records.map((r) => {
    const code = text_(r, at.code);
    const row: FetchRow = {
      url: r[at.url] ?? '',
      ok: text_(r, at.ok) === 'true',
      status: number(r, at.status),
      title: text_(r, at.title),
      finalUrl: text_(r, at.finalUrl),
      redirects: number(r, at.redirects),
      bytes: number(r, at.bytes),
      timeMs: number(r, at.timeMs),
      attempts: number(r, at.attempts),
      error: code === null ? null : { code: code as FetchErrorCode, message: text_(r, at.message) ?? '' },
    };
    const json = text_(r, at.json);
    if (json !== null) row.json = JSON.parse(json) as unknown;
    return row;
  });
}
