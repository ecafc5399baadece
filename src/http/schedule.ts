/**
 * The URL scheduler of fetchAll and scrape: core `map` with `concurrency` global slots, plus the
 * run's {@link Gate}s consulted before every start through map's keyed admission (the key is the
 * URL's host). A URL whose host a gate refuses waits in the look-ahead without taking a global
 * slot, and the slot goes to the next URL whose host has room, as curl's `--parallel-max-host`
 * (hosts with nothing in flight first: a list grouped by host spreads like an interleaved one).
 *
 * Memory: at most `window` URLs wait in the look-ahead and at most `window` finished rows wait
 * for the consumer (in order), plus the `concurrency` in flight; with the default window of 65,536
 * that is some tens of MB at worst, and only when hosts are that unevenly spread or that slow.
 */
import { map, type Admission, type Indexed, type MapRun } from '../core/map.js';
import { parseTarget } from './fetch-one.js';
import type { Gate } from './gate.js';

/** How the scheduler runs: everything checked by the caller. */
export interface ScheduleOptions {
  concurrency: number;
  /** Rows held behind a slow earlier one (in order), and URLs held waiting for a gate. */
  window: number;
  /** False: rows in completion order, each with its input index. */
  ordered: boolean;
  signal: AbortSignal | undefined;
  /**
   * Asked in this order before every start; a refusal gives back the permits already taken (put
   * gates whose release undoes a take, like per-host concurrency, before rate limits).
   */
  gates: readonly Gate[];
}

/** Runs one URL: the input as given, its index, the run signal, and the host whose permits it holds (if any). */
export type UrlWorker<R> = (url: unknown, index: number, signal: AbortSignal, admittedHost: string | undefined) => Promise<R>;

/**
 * The host of a URL input, or undefined when it is not a fetchable URL (its row says why; no gate applies).
 *
 * @example
 * ```ts
 * hostOf('http://example.test:8080/a'); // 'example.test:8080'
 * hostOf('not a url'); // undefined
 * ```
 */
export function hostOf(input: unknown): string | undefined {
  const target = parseTarget(input);
  return target instanceof URL ? target.host : undefined;
}

/** Every gate, in order; a refusal returns the permits taken so far. */
function admissionOf(gates: readonly Gate[]): Admission<unknown, string | undefined> {
  return {
    keyOf: (url) => hostOf(url),
    tryStart(host, now) {
      if (host === undefined) return true;
      for (let g = 0; g < gates.length; g++) {
        const answer = gates[g].tryTake(host, now);
        if (answer !== true) {
          for (let taken = 0; taken < g; taken++) gates[taken].release(host);
          return answer;
        }
      }
      return true;
    },
    finished(host) {
      if (host !== undefined) for (const gate of gates) gate.release(host);
    },
  };
}

/**
 * Schedules `work` over `urls`: global concurrency exact, every gate asked before each start, rows
 * in input order (or completion order with their index). Lazily started, like `map`.
 *
 * @example
 * ```ts
 * const hosts = new HostLimiter(2);
 * const run = scheduleUrls(urls, (url, i, signal, host) => fetchRow(url, context, signal, host), {
 *   concurrency: 64, window: 65_536, ordered: true, signal: undefined, gates: [hosts],
 * });
 * for await (const row of run) console.log(row.url, row.status);
 * ```
 */
export function scheduleUrls<R>(
  urls: Iterable<unknown> | AsyncIterable<unknown>,
  work: UrlWorker<R>,
  options: ScheduleOptions & { ordered: false },
): MapRun<Indexed<R>>;
export function scheduleUrls<R>(urls: Iterable<unknown> | AsyncIterable<unknown>, work: UrlWorker<R>, options: ScheduleOptions): MapRun<R>;
export function scheduleUrls<R>(
  urls: Iterable<unknown> | AsyncIterable<unknown>,
  work: UrlWorker<R>,
  options: ScheduleOptions,
): MapRun<R> | MapRun<Indexed<R>> {
  const { concurrency, window, ordered, signal, gates } = options;
  const common = { concurrency, window, ...(signal ? { signal } : {}) };
  if (gates.length === 0) {
    const run = (url: unknown, index: number, runSignal: AbortSignal): Promise<R> => work(url, index, runSignal, undefined);
    return ordered ? map(urls, run, common) : map(urls, run, { ...common, ordered: false });
  }
  const admission = admissionOf(gates);
  // The host is parsed again here (not handed over by the admission) to keep map's contract small;
  // it costs a URL parse per URL, only when a gate is in use.
  const run = (url: unknown, index: number, runSignal: AbortSignal): Promise<R> => work(url, index, runSignal, hostOf(url));
  return ordered ? map(urls, run, { ...common, admission }) : map(urls, run, { ...common, admission, ordered: false });
}
