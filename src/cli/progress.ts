/**
 * The live progress line of `gather fetch` on stderr: how many URLs are done, how fast, and (when
 * the number of URLs is known) a bar and an ETA. Only on a terminal: piped or redirected stderr
 * gets nothing, so logs stay clean.
 */
import cliProgress from 'cli-progress';
import type { FetchRow } from '../http/types.js';
import { formatDuration } from './summary.js';

/**
 * A progress display fed one row at a time.
 *
 * @example
 * ```ts
 * const progress: Progress = createProgress(process.stderr, undefined);
 * progress.tick(row);
 * progress.stop();
 * ```
 */
export interface Progress {
  /** Count one finished row. Cheap: redrawing is throttled to 10 frames a second. */
  tick(row: FetchRow): void;
  /** Stop and erase the progress line (so the summary can take its place). Idempotent; must be called, or the redraw timer keeps the process alive. */
  stop(): void;
}

const BAR_WIDTH = 20;
// The rate is measured over roughly the last 5 seconds (samples at most every 250 ms), so it
// follows slowdowns instead of averaging the whole run; before 1 s of samples it is the overall mean.
const SAMPLE_EVERY_MS = 250;
const SAMPLES = 20;

/**
 * Create the progress display on `stream` (normally `process.stderr`). `total` is the number of
 * URLs when known (then a bar, percentage and ETA are shown); with streaming input it is
 * `undefined` and the line shows the count and rate only:
 * `  1234 done | 310.2/s | 3 failed | 4.01 s`.
 * When `stream.isTTY` is not true this returns a no-op that prints nothing.
 *
 * @example
 * ```ts
 * const progress = createProgress(process.stderr, undefined);
 * for await (const row of rows) { progress.tick(row); await writer.write(row); }
 * progress.stop();
 * ```
 */
export function createProgress(stream: NodeJS.WriteStream, total: number | undefined): Progress {
  if (stream.isTTY !== true) return { tick() {}, stop() {} };

  const known = total !== undefined && Number.isFinite(total) && total > 0 ? Math.floor(total) : undefined;
  const start = Date.now();
  const rate = new RateMeter(start);
  let done = 0;
  let failed = 0;
  let stopped = false;

  const format = (): string => {
    const now = Date.now();
    const perSec = rate.sample(now, done);
    const parts: string[] = [];
    if (known !== undefined) {
      const fraction = Math.min(1, done / known);
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(
        `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${done}/${known} ${Math.floor(fraction * 100)}%`,
      );
    } else {
      parts.push(`${String(done).padStart(6)} done`);
    }
    parts.push(`${perSec.toFixed(1)}/s`);
    if (failed > 0) parts.push(`${failed} failed`);
    if (known !== undefined) {
      const left = known - done;
      parts.push(left <= 0 ? 'ETA 0 s' : perSec > 0 ? `ETA ${formatDuration((left / perSec) * 1000)}` : 'ETA -');
    } else {
      parts.push(formatDuration(now - start));
    }
    return parts.join(' | ');
  };

  const bar = new cliProgress.SingleBar({
    stream,
    format,
    fps: 10,
    // Leave the cursor alone: if the process dies before stop(), a hidden cursor would outlive us.
    hideCursor: false,
    // Erase the line on stop so the summary takes its place.
    clearOnComplete: true,
    // cli-progress would add its own SIGINT handler, which stops Node's default exit on Ctrl-C;
    // the CLI owns SIGINT and calls stop() itself.
    gracefulExit: false,
    // Trim to the terminal width rather than wrapping onto a second line that never gets erased.
    linewrap: true,
  });
  // cli-progress needs a total; 0 with our own formatter just means "unknown".
  bar.start(known ?? 0, 0);

  return {
    tick(row: FetchRow): void {
      if (stopped) return;
      done += 1;
      if (!row.ok) failed += 1;
      bar.update(done);
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** Requests per second over a sliding window of recent samples, in O(1) memory. */
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
