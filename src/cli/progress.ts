/**
 * The live progress display of `gather fetch` on stderr, drawn by cli-progress: a bar with
 * done/total, percentage, rate, ETA and ok/failed counts when the number of URLs is known; the
 * count, rate and elapsed time when it is not (stdin). Redrawn at most 10 times a second, only on a
 * terminal. Rows bound for the same terminal are printed above the bar (cli-progress's
 * `MultiBar.log`), so the table and the bar never overwrite each other.
 */
import { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { FetchRow } from '../http/types.js';
import { formatDuration, formatRate } from './summary.js';

/**
 * A progress display fed one row at a time.
 *
 * @example
 * ```ts
 * const progress: Progress = createProgress(process.stderr, 120);
 * progress.tick(row);
 * progress.stop();
 * ```
 */
export interface Progress {
  /** Count one finished row. Cheap: the bar takes the figures at its next redraw (10 a second). */
  tick(row: FetchRow): void;
  /** Print `text` (whole lines) above the bar, at the next redraw. */
  log(text: string): void;
  /** Print what `log` holds, then erase the bar (the summary takes its place). Idempotent; must be called, or the redraw timer keeps the process alive. */
  stop(): void;
}

/**
 * A display that shows nothing, for a non-terminal or `--quiet`.
 *
 * @example
 * ```ts
 * const progress = process.stderr.isTTY ? createProgress(process.stderr, total) : NO_PROGRESS;
 * ```
 */
export const NO_PROGRESS: Progress = { tick() {}, log() {}, stop() {} };

const FPS = 10;
// cli-progress estimates the ETA from its last samples; at one sample a redraw, 50 span 5 s, so
// the estimate follows slowdowns without jumping at every row.
const ETA_SAMPLES = 50;

/**
 * Create the progress display on `stream` (normally `process.stderr`). `total` is the number of
 * URLs when known (then the bar, percentage and ETA):
 * `████████░░░░░░░░ 52% 520/1000 | 312.5/s | ETA 1.54 s | 510 ok, 10 failed`;
 * with `undefined` (stdin) the line shows `520 done | 312.5/s | 510 ok, 10 failed | 1.66 s`.
 * When `stream.isTTY` is not true it returns {@link NO_PROGRESS}.
 *
 * @example
 * ```ts
 * const progress = createProgress(process.stderr, undefined);
 * for await (const row of rows) { progress.tick(row); await writer.write(row); }
 * progress.stop();
 * ```
 */
export function createProgress(stream: NodeJS.WriteStream, total: number | undefined): Progress {
  if (stream.isTTY !== true) return NO_PROGRESS;
  const known = total !== undefined && Number.isFinite(total) && total > 0 ? Math.floor(total) : undefined;
  const columns = stream.columns > 0 ? stream.columns : 80;
  const multi = new cliProgress.MultiBar({
    stream,
    fps: FPS,
    format: known !== undefined
      ? '{bar} {percentage}% {value}/{total} | {rate}/s | ETA {eta_formatted} | {ok} ok, {failed} failed'
      : '{value} done | {rate}/s | {ok} ok, {failed} failed | {duration_formatted}',
    formatTime: formatSeconds,
    barsize: Math.max(10, Math.min(30, columns - 64)),
    barCompleteChar: '█',
    barIncompleteChar: '░',
    etaBuffer: ETA_SAMPLES,
    // Leave the cursor alone: if the process dies before stop(), a hidden cursor would outlive us.
    hideCursor: false,
    // Trim to the terminal width rather than turning wrapping off for the whole terminal.
    linewrap: true,
    clearOnComplete: true,
    // cli-progress would add its own SIGINT handler; the CLI owns SIGINT and calls stop() itself.
    gracefulExit: false,
  });
  const started = Date.now();
  const payload = { rate: '0.0', ok: 0, failed: 0 };
  const bar = multi.create(known ?? 0, 0, payload);
  const rate = new RateMeter(started);
  let done = 0;
  let failed = 0;
  let stopped = false;

  // The bar takes the figures right before each redraw (10 a second), not at every row: ticks
  // stay two additions, and the ETA's samples are evenly spaced in time.
  const refresh = (): void => {
    if (known !== undefined && done > bar.getTotal()) bar.setTotal(done);
    payload.rate = formatRate(rate.sample(Date.now(), done));
    payload.ok = done - failed;
    payload.failed = failed;
    bar.update(done, payload);
  };
  multi.on('update-pre', refresh);

  return {
    tick(row) {
      done += 1;
      if (!row.ok) failed += 1;
    },
    log(text) {
      if (stopped) stream.write(text);
      else multi.log(text);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // A last redraw with the final figures prints the rows still held by log(); then the bar is erased.
      multi.update();
      multi.stop();
      multi.removeListener('update-pre', refresh);
    },
  };
}

/**
 * A Writable whose text goes above the bar of `progress`: the output for rows when stdout and
 * stderr are the same terminal.
 *
 * @example
 * ```ts
 * const out = progress === NO_PROGRESS ? process.stdout : linesAbove(progress);
 * ```
 */
export function linesAbove(progress: Progress): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      progress.log(String(chunk));
      callback();
    },
  });
}

/** cli-progress's time format (seconds, or 'NULL'/'INF' while unknown) in the CLI's own words. */
function formatSeconds(seconds: number | string): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '-';
  return seconds < 60 ? `${Math.round(seconds)} s` : formatDuration(seconds * 1000);
}

// The rate is measured over roughly the last 5 seconds (samples at most every 250 ms), so it
// follows slowdowns instead of averaging the whole run; before 1 s of samples it is the overall mean.
const SAMPLE_EVERY_MS = 250;
const SAMPLES = 20;

/** Rows per second over a sliding window of recent samples, in O(1) memory. */
class RateMeter {
  readonly #times = new Float64Array(SAMPLES);
  readonly #counts = new Float64Array(SAMPLES);
  #size = 0;
  #next = 0;
  readonly #start: number;

  constructor(start: number) {
    this.#start = start;
  }

  sample(now: number, count: number): number {
    const last = (this.#next - 1 + SAMPLES) % SAMPLES;
    if (this.#size === 0 || now - this.#times[last] >= SAMPLE_EVERY_MS) {
      this.#times[this.#next] = now;
      this.#counts[this.#next] = count;
      this.#next = (this.#next + 1) % SAMPLES;
      this.#size = Math.min(SAMPLES, this.#size + 1);
    }
    const oldest = this.#size < SAMPLES ? 0 : this.#next;
    const span = now - this.#times[oldest];
    if (span >= 1000) return ((count - this.#counts[oldest]) * 1000) / span;
    const elapsed = now - this.#start;
    return elapsed > 0 ? (count * 1000) / elapsed : 0;
  }
}
