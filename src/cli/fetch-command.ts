/**
 * `gather fetch`: URLs in, one row per URL out, in input order, streamed as rows finish. The data
 * goes to stdout (or --output) and nothing else does; progress and the summary go to stderr.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { isCancellation } from '../core/errors.js';
import { fetchAll, type FetchOptions, type RowOrderOptions } from '../http/index.js';
import { UsageError } from './errors.js';
import { BATCH_BYTES, createRowWriter, type OutputFormat } from './formats.js';
import { EXIT, interruptedStatus, type CliIo } from './io.js';
import type { Progress } from './progress.js';
import { formatSummary, RunStats } from './summary.js';

const NO_PROGRESS: Progress = { tick() {}, stop() {} };

/** What `gather fetch` was asked to do, flags parsed. */
export interface FetchCommandOptions {
  fetch: Omit<FetchOptions & RowOrderOptions, 'signal'>;
  /** Default: table when the output is a terminal, JSONL otherwise. */
  format?: OutputFormat;
  output?: string;
  /** Stop at the first failed row (the seed's default gather) instead of collecting every error. */
  failFast?: boolean;
  /** No progress bar and no summary: rows only. */
  quiet?: boolean;
  /** Table width when the output is not a terminal (a terminal's own width wins). Default 100. */
  columns?: number;
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
  const out = options.output ? openOutput(options.output) : io.stdout;
  const toTerminal = !options.output && io.stdout.isTTY === true;
  const format = options.format ?? (toTerminal ? 'table' : 'jsonl');
  const writer = createRowWriter(format, out, {
    json: options.fetch.json === true,
    color: toTerminal && format === 'table',
    endStream: out !== io.stdout,
    batch: true,
    ...(options.columns !== undefined && !toTerminal ? { columns: options.columns } : {}),
  });
  // A live bar and a table on one terminal would overwrite each other's lines: the table wins.
  const sameTerminal = format === 'table' && toTerminal;
  // The progress line (and cli-progress) is loaded only for a terminal: piped stderr gets nothing.
  const showProgress = !options.quiet && !sameTerminal && (io.stderr as NodeJS.WriteStream).isTTY === true;
  const progress: Progress = showProgress
    ? (await import('./progress.js')).createProgress(io.stderr as NodeJS.WriteStream, undefined)
    : NO_PROGRESS;
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

/**
 * The `--output` file, as a Writable whose writes are plain `fs.writeSync` calls (what node does
 * for a stdout redirected to a file). The rows come in batches of kilobytes; a synchronous write
 * of one costs microseconds, where each write of an `fs.WriteStream` is a round trip through
 * libuv's thread pool, a thread to wake on cores that are busy fetching.
 */
function openOutput(path: string): Writable {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new UsageError(`gather: cannot write '${path}': ${why}`);
  }
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return new Writable({
    // Room for the writer's biggest batches (half of this), so a batch never has to wait.
    highWaterMark: 2 * BATCH_BYTES,
    // Text goes to the file as is: no Buffer made of it first.
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        writeFully(fd, chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        close();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      try {
        close();
      } catch {
        // the stream's own error, if any, is the one to report
      }
      callback(error);
    },
  });
}

/** Writes all of `data` (a write to a file may, rarely, take less than it was given). */
function writeFully(fd: number, data: Buffer | string): void {
  let bytes: Buffer;
  let written: number;
  if (typeof data === 'string') {
    written = writeSync(fd, data);
    if (written === Buffer.byteLength(data)) return;
    bytes = Buffer.from(data);
  } else {
    bytes = data;
    written = 0;
  }
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}
