/**
 * `gather fetch`: URLs in, one row per URL out, in input order, streamed as rows finish. The data
 * goes to stdout (or --output) and nothing else does; progress and the summary go to stderr.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { isCancellation } from '../core/index.js';
import { fetchAll, type FetchOptions } from '../http/index.js';
import { UsageError } from './errors.js';
import { createRowWriter, type OutputFormat } from './formats.js';
import { EXIT, interruptedStatus, type CliIo } from './io.js';
import { createProgress } from './progress.js';
import { formatSummary, RunStats } from './summary.js';

/** What `gather fetch` was asked to do, flags parsed. */
export interface FetchCommandOptions {
  fetch: Omit<FetchOptions, 'signal'>;
  /** Default: table when the output is a terminal, JSONL otherwise. */
  format?: OutputFormat;
  output?: string;
  /** Stop at the first failed row (the seed's default gather) instead of collecting every error. */
  failFast?: boolean;
  quiet?: boolean;
  /** Print the summary even with --quiet? No: quiet means rows only. */
}

/**
 * Fetches every URL of `urls` and writes the rows; returns the exit status (0 all ok, 1 some
 * failed, 130/143 interrupted). Every row that finished is written before it returns, also when
 * interrupted.
 *
 * @example
 * ```ts
 * const status = await runFetch(urlsFromFile, { fetch: { concurrency: 32 }, format: 'jsonl' }, io);
 * ```
 */
export async function runFetch(urls: AsyncIterable<string> | Iterable<string>, options: FetchCommandOptions, io: CliIo): Promise<number> {
  const out = options.output ? await openOutput(options.output) : io.stdout;
  const toTerminal = !options.output && io.stdout.isTTY === true;
  const format = options.format ?? (toTerminal ? 'table' : 'jsonl');
  const writer = createRowWriter(format, out, {
    json: options.fetch.json === true,
    color: toTerminal && format === 'table',
    endStream: out !== io.stdout,
  });
  // A live bar and a table on one terminal would overwrite each other's lines: the table wins.
  const sameTerminal = format === 'table' && toTerminal;
  const progress = options.quiet || sameTerminal ? { tick() {}, stop() {} } : createProgress(io.stderr as NodeJS.WriteStream, undefined);
  const stats = new RunStats();
  const started = performance.now();
  const run = fetchAll(urls, { ...options.fetch, signal: io.signal });
  let status: number = EXIT.ok;
  try {
    for await (const row of run) {
      stats.add(row);
      progress.tick(row);
      const pending = writer.write(row);
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
    progress.stop();
    await writer.end();
  }
  if (!options.quiet) {
    const summary = formatSummary(stats.summary(performance.now() - started));
    io.stderr.write(`${summary}${status >= EXIT.interrupted ? '\ninterrupted: every finished row was written' : ''}\n`);
  }
  return status;
}

async function openOutput(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new UsageError(`gather: cannot write '${path}': ${why}`);
  }
  return stream;
}
