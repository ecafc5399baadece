/**
 * `gather fetch`: URLs in, one row per URL out, in input order, streamed as rows finish. The data
 * goes to stdout (or --output) and nothing else does; progress, hints and the summary go to stderr.
 *
 * The order of a run is the point of this module: inputs opened, output checked against them,
 * options checked (by creating the lazy run), and only then is the output file opened, which
 * truncates it. A usage error at any step leaves every file as it was.
 */
import type { Stats } from 'node:fs';
import { isCancellation } from '../core/errors.js';
import { fetchAll, type FetchOptions, type FetchRun, type RowOrderOptions } from '../http/index.js';
import { wantsColor, type ColorMode } from './color.js';
import { createRowWriter, type OutputFormat, type RowWriterOptions } from './formats.js';
import { openInputs } from './inputs.js';
import { EXIT, interruptedStatus, type CliIo } from './io.js';
import { openOutput, refuseInputAsOutput } from './output-file.js';
import { createProgress, linesAbove, NO_PROGRESS } from './progress.js';
import { formatSummary, RunStats } from './summary.js';
import { createFieldWriter } from './fields.js';
import type { OutputChoices } from './output-flags.js';
import { prepareRun } from './prepared-run.js';

/**
 * The library options the CLI passes: everything of `FetchOptions` but the signal, which the
 * command owns (Ctrl-C, --fail-fast).
 *
 * @example
 * ```ts
 * const options: CliFetchOptions = { concurrency: 32, timeout: 10_000, refuseDowngrade: true };
 * ```
 */
export type CliFetchOptions = Omit<FetchOptions & RowOrderOptions, 'signal'>;

/** What `gather fetch` was asked to do, flags parsed. */
export interface FetchCommandOptions extends OutputChoices {
  fetch: CliFetchOptions;
  /** Default: table when the output is a terminal, JSONL otherwise. */
  format?: OutputFormat;
  output?: string;
  /** Stop at the first failed row (the seed's default gather) instead of collecting every error. */
  failFast?: boolean;
  /** No progress bar and no summary: rows only. */
  quiet?: boolean;
  /** Show the progress bar when stderr is a terminal. Default true. */
  progress?: boolean;
  /** Table width when the output is not a terminal (a terminal's own width wins). Default 100. */
  columns?: number;
  /** `--color`; default 'auto'. */
  color?: ColorMode;
  /** `--csv-raw`: no neutralising of formula-like CSV cells. */
  csvRaw?: boolean;
  /** The number of URLs, or how to count them; asked only when the progress bar is shown. */
  total?: number | (() => number);
  /** The files the URLs come from: the output may not be one of them. */
  inputFiles?: readonly Stats[];
}

/**
 * `gather fetch [inputs...] [-l FILE]...`: opens the inputs (URLs, files, `-`), says so when it
 * waits on a terminal, runs {@link runFetch}, and closes every input whatever happens.
 *
 * @example
 * ```ts
 * const status = await runFetchCommand(['urls.txt', 'https://example.com/'], [], { fetch: {} }, io);
 * ```
 */
export async function runFetchCommand(args: readonly string[], lists: readonly string[], options: FetchCommandOptions, io: CliIo): Promise<number> {
  const inputs = openInputs(args, lists, io.stdin);
  try {
    if (inputs.readsTerminal) {
      io.stderr.write("gather: reading URLs from the terminal, one a line; Ctrl-D ends (or pass URLs or files: see 'gather fetch --help')\n");
    }
    return await runFetch(
      inputs.urls,
      {
        ...options,
        ...(inputs.countable ? { total: inputs.count } : {}),
        // Someone typing URLs at the terminal needs its lines for the echo, not for a bar.
        ...(inputs.readsTerminal ? { progress: false } : {}),
        inputFiles: inputs.files,
      },
      io,
    );
  } finally {
    inputs.close();
  }
}

/**
 * Fetches every URL of `urls` and writes the rows; returns the exit status (0 all ok, 1 some
 * failed, 130/143 interrupted). Every row that finished is written before it returns, also when
 * interrupted.
 *
 * @example
 * ```ts
 * const status = await runFetch(['https://example.com/'], { fetch: { concurrency: 32 }, format: 'jsonl' }, io);
 * ```
 */
export async function runFetch(urls: AsyncIterable<string> | Iterable<string>, options: FetchCommandOptions, io: CliIo): Promise<number> {
  const toTerminal = !options.output && io.stdout.isTTY === true;
  const format = options.format ?? (toTerminal ? 'table' : 'jsonl');
  if (options.output) refuseInputAsOutput(options.output, options.inputFiles ?? []);
  const prepared = await prepareRun(urls, options, options.output, format); // --resume, --dedupe
  const run = startRun(prepared.urls, { ...options.fetch, signal: io.signal });
  // Only now, every argument checked, may the output file be created or truncated.
  const file = prepared.outputPath ? openOutput(prepared.outputPath) : undefined;

  const total = typeof options.total === 'function' && showsProgress(options, io) ? options.total() : options.total;
  const progress = showsProgress(options, io) ? createProgress(io.stderr as NodeJS.WriteStream, typeof total === 'number' ? total : undefined) : NO_PROGRESS;
  // Rows bound for the terminal that shows the bar are printed above it.
  const out = file ?? (toTerminal && progress !== NO_PROGRESS ? linesAbove(progress) : io.stdout);
  const writerOptions: RowWriterOptions = {
    json: options.fetch.json === true,
    color: format === 'table' && wantsColor(options.color ?? 'auto', toTerminal, io.env ?? process.env),
    terminal: toTerminal,
    csvRaw: options.csvRaw === true,
    endStream: out !== io.stdout,
    batch: true,
    ...(options.columns !== undefined && !toTerminal ? { columns: options.columns } : {}),
    ...(toTerminal && io.stdout.columns ? { columns: io.stdout.columns } : {}),
    ...(typeof total === 'number' ? { total } : {}),
  };
  const writer = options.fields ? createFieldWriter(format, out, options.fields, writerOptions) : createRowWriter(format, out, writerOptions);
  const stats = new RunStats();
  const started = performance.now();
  let status: number = EXIT.ok;
  try {
    for await (const row of prepared.rows(run)) {
      stats.add(row);
      progress.tick(row);
      const pending = options.keep && !options.keep(row) ? undefined : writer.write(row);
      if (pending) await pending;
      if (!row.ok) {
        status = EXIT.someFailed;
        if (options.failFast) break; // leaving the loop cancels the requests in flight
      }
    }
  } catch (error) {
    if (!isCancellation(error)) throw error;
    status = interruptedStatus(io.signal);
  } finally {
    await prepared.writeLeftovers((row) => writer.write(row));
    await writer.end();
    progress.stop();
    prepared.commit();
  }
  if (stats.summary(0).total === 0 && status < EXIT.interrupted) {
    io.stderr.write('gather: warning: the input held no URL (blank lines and lines starting with # are skipped)\n');
  }
  if (!options.quiet) {
    const summary = formatSummary(stats.summary(performance.now() - started));
    io.stderr.write(`${summary}${status >= EXIT.interrupted ? '\ninterrupted: every finished row was written' : ''}\n`);
  }
  return status;
}

/** The lazy run; its options are checked now (a bad one throws before anything is fetched). */
function startRun(urls: AsyncIterable<string> | Iterable<string>, options: CliFetchOptions & { signal?: AbortSignal }): FetchRun {
  return fetchAll(urls, options as FetchOptions & RowOrderOptions);
}

/** The bar goes on stderr when it is a terminal and nothing asks for silence. */
function showsProgress(options: FetchCommandOptions, io: CliIo): boolean {
  return !options.quiet && options.progress !== false && io.stderr.isTTY === true;
}
