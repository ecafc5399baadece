/**
 * The `gather fetch` flags of issue 11 that shape the output: `--match-status`, `--filter-status`,
 * `--fields`, `--resume`, `--dedupe`.
 */
import { Option, type Command } from 'commander';
import type { FetchRow } from '../http/types.js';
import { fieldsFlag } from './fields.js';
import { statusFilter, statusListFlag, type StatusList } from './status-filter.js';

/** The parsed flags this module adds. */
export interface OutputFlags {
  matchStatus?: StatusList;
  filterStatus?: StatusList;
  fields?: string[];
  resume?: boolean;
  dedupe?: boolean;
}

/** What they mean to runFetch. */
export interface OutputChoices {
  /** Rows written (all are counted by the summary); undefined: every row. */
  keep?: (row: FetchRow) => boolean;
  /** The columns of the output, in order. */
  fields?: string[];
  /** Keep the rows `output` already holds for this input; fetch only the others. */
  resume?: boolean;
  /** Fetch a repeated URL once; its other lines get a copy marked `duplicateOf`. */
  dedupe?: boolean;
}

/**
 * Adds the flags to `command` (the `fetch` subcommand) and returns it.
 *
 * @example
 * ```ts
 * addOutputFlags(program.command('fetch'));
 * ```
 */
export function addOutputFlags(command: Command): Command {
  return command
    .addOption(new Option('--match-status <list>', 'write only rows with these statuses, e.g. 200,3xx (0: no response)').argParser(statusListFlag))
    .addOption(new Option('--filter-status <list>', 'leave out rows with these statuses, e.g. 404,5xx').argParser(statusListFlag))
    .addOption(new Option('--fields <list>', 'columns to write, in order, e.g. url,status,contentType,tlsNotAfter').argParser(fieldsFlag))
    .option('--resume', 'with -o FILE (jsonl, csv): keep the rows FILE holds for this input and fetch the rest (aborted rows again)')
    .option('--dedupe', 'fetch a repeated URL once; its other lines get a copy with duplicateOf');
}

/**
 * The output choices the flags ask for.
 *
 * @example
 * ```ts
 * outputChoicesFromFlags({ dedupe: true }); // { dedupe: true }
 * ```
 */
export function outputChoicesFromFlags(flags: OutputFlags): OutputChoices {
  const choices: OutputChoices = {};
  const keep = statusFilter(flags.matchStatus, flags.filterStatus);
  if (keep !== undefined) choices.keep = keep;
  if (flags.fields !== undefined) choices.fields = flags.fields;
  if (flags.resume) choices.resume = true;
  if (flags.dedupe) choices.dedupe = true;
  return choices;
}
