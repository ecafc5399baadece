/**
 * The end-of-run summary of `gather fetch`: counts, errors by code, throughput and latency
 * percentiles, in constant memory so a run of millions of URLs costs the same as a run of ten.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { FetchErrorCode, FetchRow } from '../http/types.js';

/**
 * The numbers behind the summary line; plain data, so it can be printed as JSON too.
 *
 * @example
 * ```ts
 * const s: RunSummary = stats.summary(elapsedMs);
 * process.exitCode = s.failed > 0 ? 1 : 0;
 * ```
 */
export interface RunSummary {
  /** Rows seen. */
  total: number;
  /** Rows with `ok: true`. */
  ok: number;
  /** Rows with `ok: false` (`total - ok`). */
  failed: number;
  /** Failed rows by error code, most frequent first (ties in first-seen order). */
  errors: Partial<Record<FetchErrorCode, number>>;
  /** Wall time of the run as given to {@link RunStats.summary}. */
  elapsedMs: number;
  /** `total` per second of `elapsedMs`; 0 when no time elapsed. */
  ratePerSec: number;
  /** Per-URL `timeMs`, failures included (a timeout is part of what the run cost); null when no rows. */
  latency: LatencySummary | null;
}

/**
 * Latency statistics in milliseconds. Percentiles are within ±1% of the exact nearest-rank value
 * (for times from 0.1 ms up); min, max and mean are exact.
 *
 * @example
 * ```ts
 * const { p95 } = stats.summary(elapsedMs).latency ?? { p95: 0 };
 * ```
 */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

// Latencies are recorded in whole microseconds into Node's HDR histogram (perf_hooks): three
// significant figures, so a reported value is within 0.1% of the recorded one, plus 0.5 µs of
// rounding (0.5% at 0.1 ms): within 1% from 0.1 ms up. Its memory is fixed (~300 KB), whatever
// the number of rows.
const HIGHEST_US = 10_000_000_000_000; // about 4 months
const SIGNIFICANT_FIGURES = 3;

/**
 * Accumulates rows as they finish and produces a {@link RunSummary}; O(1) memory (an HDR
 * histogram from `node:perf_hooks`), O(1) per row.
 *
 * @example
 * ```ts
 * const stats = new RunStats();
 * const started = performance.now();
 * for await (const row of rows) stats.add(row);
 * process.stderr.write(formatSummary(stats.summary(performance.now() - started)) + '\n');
 * ```
 */
export class RunStats {
  #total = 0;
  #ok = 0;
  // A Map keeps first-seen order, used to break ties when sorting by count.
  readonly #errors = new Map<FetchErrorCode, number>();
  readonly #histogram: RecordableHistogram = createHistogram({ lowest: 1, highest: HIGHEST_US, figures: SIGNIFICANT_FIGURES });
  #timed = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Count one finished row. */
  add(row: FetchRow): void {
    this.#total += 1;
    if (row.ok) this.#ok += 1;
    else if (row.error) this.#errors.set(row.error.code, (this.#errors.get(row.error.code) ?? 0) + 1);

    const t = row.timeMs;
    // A NaN or infinite time is a bug upstream; skip it rather than poison every percentile.
    if (!Number.isFinite(t)) return;
    const ms = Math.max(0, t);
    this.#timed += 1;
    this.#sum += ms;
    if (ms < this.#min) this.#min = ms;
    if (ms > this.#max) this.#max = ms;
    this.#histogram.record(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
  }

  /** The summary so far; `elapsedMs` is the run's wall time, used for the rate. Can be called repeatedly. */
  summary(elapsedMs: number): RunSummary {
    const errors: Partial<Record<FetchErrorCode, number>> = {};
    // Array.prototype.sort is stable, so equal counts keep their first-seen order.
    for (const [code, count] of [...this.#errors].sort((a, b) => b[1] - a[1])) errors[code] = count;
    const elapsed = Number.isFinite(elapsedMs) && elapsedMs > 0 ? elapsedMs : 0;
    return {
      total: this.#total,
      ok: this.#ok,
      failed: this.#total - this.#ok,
      errors,
      elapsedMs: elapsed,
      ratePerSec: elapsed > 0 ? (this.#total * 1000) / elapsed : 0,
      latency:
        this.#timed === 0
          ? null
          : {
              p50: this.#percentile(50),
              p95: this.#percentile(95),
              p99: this.#percentile(99),
              min: this.#min,
              max: this.#max,
              mean: this.#sum / this.#timed,
            },
    };
  }

  /**
   * Nearest-rank percentile: the smallest value with at least p% of the values at or below it.
   * The HDR histogram ranks by rounding (`p * n + 0.5`); asking it for the percentile a quarter
   * of a rank below rank `ceil(p * n)` makes it land on that exact rank.
   */
  #percentile(p: number): number {
    const rank = Math.max(1, Math.ceil((p / 100) * this.#timed));
    const value = this.#histogram.percentile((100 * (rank - 0.25)) / this.#timed) / 1000;
    // The true value lies within [min, max]; clamping makes single-valued runs exact.
    return Math.min(this.#max, Math.max(this.#min, value));
  }
}

/** The widest a summary line gets before the error counts move to a line of their own: an 80-column terminal. */
const SUMMARY_WIDTH = 79;

/**
 * A short human summary, without a trailing newline: counts (with the errors by code), then
 * latency. When the errors would make the first line wider than 79 columns, they go on indented
 * lines of their own (`  timeout 3, refused 2, ...`), so the summary reads well on an 80-column
 * terminal.
 *
 * @example
 * ```ts
 * formatSummary(stats.summary(1230));
 * // "20 URLs in 1.23 s (16.3/s): 17 ok, 3 failed (http 1, dns 1, refused 1)
 * //  latency p50 12 ms, p95 80 ms, p99 95 ms"
 * ```
 */
export function formatSummary(s: RunSummary): string {
  const noun = s.total === 1 ? 'URL' : 'URLs';
  let head = `${s.total} ${noun} in ${formatDuration(s.elapsedMs)} (${formatRate(s.ratePerSec)}/s): ${s.ok} ok, ${s.failed} failed`;
  const codes = Object.entries(s.errors).map(([code, count]) => `${code} ${count}`);
  const inline = ` (${codes.join(', ')})`;
  if (codes.length > 0) head += head.length + inline.length <= SUMMARY_WIDTH ? inline : wrapped(codes);
  if (!s.latency) return head;
  const l = s.latency;
  return `${head}\nlatency p50 ${formatDuration(l.p50)}, p95 ${formatDuration(l.p95)}, p99 ${formatDuration(l.p99)}`;
}

/** Error counts on indented lines of their own, each at most {@link SUMMARY_WIDTH} wide. */
function wrapped(codes: string[]): string {
  let text = '';
  let line = '';
  for (const code of codes) {
    if (line !== '' && line.length + code.length + 3 > SUMMARY_WIDTH) {
      text += `\n${line},`;
      line = '';
    }
    line += line === '' ? `  ${code}` : `, ${code}`;
  }
  return `${text}\n${line}`;
}

/**
 * A duration for humans, precise where it matters and short everywhere:
 * `0 ms`, `0.4 ms`, `12 ms`, `1.23 s`, `12.3 s`, `2m 05s`, `1h 02m`.
 *
 * @example
 * ```ts
 * formatDuration(1234); // "1.23 s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 9995) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const totalMinutes = Math.round(ms / 60_000);
  return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
}

/**
 * Requests per second: one decimal below 100 (`16.3`), whole numbers above (`1234`).
 *
 * @example
 * ```ts
 * formatRate(16.28); // "16.3"
 * ```
 */
export function formatRate(rate: number): string {
  return rate < 99.95 ? rate.toFixed(1) : String(Math.round(rate));
}
