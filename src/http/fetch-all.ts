/**
 * Many URLs to rows, in input order: core `map` over the URLs with {@link fetchRow} per item, plus
 * the run's shared pieces (one keep-alive agent, DNS cache, per-host limits), created when the run
 * starts and released when it ends, whichever way it ends.
 */
import { DEFAULT_WINDOW, type Indexed, type MapRun } from '../core/map.js';
import { checkBoolean, checkCount } from '../core/validate.js';
import { createRunContext, type RunContext } from './context.js';
import { fetchRow } from './fetch-one.js';
import { HostLimiter } from './host-limit.js';
import { describe, resolveOptions, type FetchOptions, type Mode, type ResolvedOptions, type ScrapeOptions } from './options.js';
import { rateGateFor } from './run-extras.js';
import { scheduleUrls } from './schedule.js';
import type { FetchRow } from './types.js';

/**
 * How the rows of {@link fetchAll} and {@link scrape} come out: the order, and the reorder buffer's
 * bound. Slow or hanging URLs never idle a slot: while the buffer has room, `concurrency` requests
 * are in flight.
 *
 * @example
 * ```ts
 * for await (const row of fetchAll(urls, { ordered: false })) console.log(row.index, row.status);
 * ```
 */
export interface RowOrderOptions {
  /**
   * True: rows in input order. False: each row as soon as it finishes, with `index` (its position
   * in the input), memory O(concurrency).
   * @default true
   */
  ordered?: boolean;
  /**
   * In order: how many finished rows may wait behind a slower earlier URL before no new URL starts
   * (about 1 KB a row: the default is some 64 MB at worst); also how many URLs may wait in the
   * look-ahead for a host with room (`perHost`).
   * @default 65_536
   */
  window?: number;
}

/**
 * What fetchAll and scrape take: URL strings (or URL objects), from a sync or async source. Items
 * that are not URLs become `invalid_url` rows.
 *
 * @example
 * ```ts
 * const fromArray: UrlSource = ['https://example.com/'];
 * async function* fromFile(): AsyncGenerator<string> { yield* (await readFile('urls.txt', 'utf8')).split('\n'); }
 * ```
 */
export type UrlSource = Iterable<string | URL> | AsyncIterable<string | URL>;

/**
 * A lazily started run, shaped like core `map`'s {@link MapRun}: `await` it for every row in input
 * order, or `for await` it to stream rows in input order as they become available (memory bounded
 * by `window` rows, however many URLs; `ordered: false` streams them as they finish, with `index`).
 * Consume it one way, once. Nothing is requested until then.
 *
 * When the run ends (all rows delivered, cancelled, or the loop left early) its agent is closed
 * before the await settles or the loop ends: no socket or timer is left behind.
 *
 * @example
 * ```ts
 * const run = fetchAll(urls, { concurrency: 8 });
 * for await (const row of run) console.log(row.status, row.url);
 * ```
 */
export interface FetchRun<R = FetchRow> extends PromiseLike<R[]>, AsyncIterable<R> {
  /**
   * Cancels the run: in-flight requests are aborted, and it rejects with `CancelledError` (the
   * stream form first yields a row for every URL it started, `aborted` for those cut short, then
   * throws). False if it had ended.
   */
  cancel(reason?: unknown): boolean;
}

type Rows = MapRun<FetchRow> | MapRun<Indexed<FetchRow>>;

/** An unordered run yields `{ index, value }`: the row already carries its index (see startRun). */
const rowOf = (item: FetchRow | Indexed<FetchRow>): FetchRow => (item as Indexed<FetchRow>).value;

class Run implements FetchRun {
  readonly #run: Rows;
  readonly #close: (failed: boolean) => Promise<void>;
  readonly #ordered: boolean;
  #collected: Promise<FetchRow[]> | undefined;

  constructor(run: Rows, close: (failed: boolean) => Promise<void>, ordered: boolean) {
    this.#run = run;
    this.#close = close;
    this.#ordered = ordered;
  }

  then<A = FetchRow[], B = never>(
    onFulfilled?: ((rows: FetchRow[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#collected ??= new Promise<FetchRow[]>((resolve, reject) => {
      (this.#run as MapRun<FetchRow | Indexed<FetchRow>>).then(
        (rows) => this.#close(false).then(() => resolve(this.#ordered ? (rows as FetchRow[]) : rows.map(rowOf))),
        (error: unknown) => this.#close(true).then(() => reject(error)),
      );
    });
    return this.#collected.then(onFulfilled, onRejected);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<FetchRow> {
    // A thin wrapper over map's own iterator rather than an async generator around a `for await`:
    // that would cost a few more promises per row, and rows stream by the thousand per second.
    const rows = (this.#run as MapRun<FetchRow | Indexed<FetchRow>>)[Symbol.asyncIterator]();
    const close = this.#close;
    const ordered = this.#ordered;
    const onStep = (step: IteratorResult<FetchRow | Indexed<FetchRow>>): IteratorResult<FetchRow> | Promise<IteratorResult<FetchRow>> => {
      if (step.done) return close(false).then(() => step as IteratorResult<FetchRow>);
      return ordered ? (step as IteratorResult<FetchRow>) : { done: false, value: rowOf(step.value) };
    };
    const onError = (error: unknown): Promise<never> =>
      close(true).then(() => {
        throw error;
      });
    return {
      [Symbol.asyncIterator]() {
        return this; // iterable itself, as a generator's iterator is
      },
      next: () => rows.next().then(onStep, onError),
      // Leaving a loop early (break, throw) returns map's iterator, which cancels the rest and
      // waits for the requests in flight; only then is the agent destroyed.
      return: async () => {
        try {
          await rows.return?.();
        } finally {
          await close(true);
        }
        return { done: true, value: undefined };
      },
    };
  }

  cancel(reason?: unknown): boolean {
    return this.#run.cancel(reason);
  }
}

function checkSource(urls: unknown, where: string): void {
  if (typeof urls === 'string' || urls instanceof URL) {
    throw new TypeError(`Expected \`urls\` of ${where} to be an iterable of URLs, got one URL ${describe(String(urls))}: wrap it in an array`);
  }
  const iterable =
    typeof urls === 'object' &&
    urls !== null &&
    (typeof (urls as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (urls as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
  if (!iterable) throw new TypeError(`Expected \`urls\` of ${where} to be an iterable or async iterable of URLs, got ${describe(urls)}`);
}

/** The shared pipeline of fetchAll and scrape. */
function startRun(urls: UrlSource, options: ResolvedOptions, order: Required<RowOrderOptions>): FetchRun {
  // Created by the first URL, so a run that is never consumed (or has no URLs) opens nothing.
  let context: RunContext | undefined;
  // The per-host limit is a gate of the scheduler (a URL waits for its host without a global slot)
  // and the context's, for redirect hops to other hosts.
  const hosts = new HostLimiter(options.perHost);
  // The rate limit too: a URL waiting for its rate holds no slot (retries and redirects wait in theirs).
  const rate = rateGateFor(options);
  const gates = [...(hosts.limited ? [hosts] : []), ...(rate ? [rate] : [])];
  const run = scheduleUrls(
    urls,
    (url, index, signal, admittedHost) => {
      context ??= createRunContext(options, hosts, rate);
      // A cancelled run still gives every URL it started a row (those cut short say `aborted`), so
      // the streaming form yields all of them before it throws: nothing finished is lost.
      const row = fetchRow(url, context, signal, admittedHost);
      return order.ordered ? row : row.then((done) => ((done.index = index), done));
    },
    { concurrency: options.concurrency, window: order.window, ordered: order.ordered, signal: options.signal, gates },
  );
  return new Run(run, (failed) => (context ? context.close(failed) : Promise.resolve()), order.ordered);
}

/** Takes `ordered` and `window` out of the options (the rest is the fetch pipeline's) and checks them. */
function splitOrder(options: unknown): [rest: unknown, order: Required<RowOrderOptions>] {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return [options, { ordered: true, window: DEFAULT_WINDOW }];
  const { ordered, window, ...rest } = options as RowOrderOptions & Record<string, unknown>;
  return [
    rest,
    {
      ordered: ordered === undefined ? true : checkBoolean('ordered', ordered),
      window: window === undefined ? DEFAULT_WINDOW : checkCount('window', window),
    },
  ];
}

function start(urls: UrlSource, options: unknown, where: string, mode: Mode): FetchRun {
  checkSource(urls, where);
  const [rest, order] = splitOrder(options);
  return startRun(urls, resolveOptions(rest, where, mode), order);
}

/**
 * Fetches every URL with bounded concurrency and returns one {@link FetchRow} per input, in input
 * order: awaitable to an array, or async-iterable to stream rows as they finish. Per-URL failures
 * (bad URL, DNS, refused, timeout, HTTP status >= 400...) are rows with an `error`, never a thrown
 * batch; only bad options throw (at once), and cancelling the run (`signal`, `cancel()`) rejects
 * with `CancelledError`.
 *
 * HTML responses get their `<title>` (reading stops right after it); with `json: true` every body
 * is parsed into `row.json` instead (the API mode).
 *
 * Rows come in input order; `ordered: false` gives each row as it finishes, with its `index`. A
 * slow or hanging URL never idles the other slots (finished rows wait in a reorder buffer of
 * `window` rows), and a URL whose host is at `perHost` waits without taking a global slot: the next
 * URL whose host has room starts instead.
 *
 * Defaults: concurrency 16, perHost Infinity, ordered true, window 65,536, timeout { connect: 10 s, headers: 30 s, total: 60 s },
 * retries 2 (resets, 429, 502-504; Retry-After honoured up to maxRetryDelay 30 s), maxRedirects 10,
 * maxBytes 10 MiB, httpErrors true, json false.
 *
 * @example
 * ```ts
 * const rows = await fetchAll(['https://api.github.com/users/octocat', 'https://api.github.com/users/missing-x'], { json: true });
 * for (const row of rows) console.log(row.status, row.ok ? row.json : row.error);
 *
 * for await (const row of fetchAll(readUrls(file), { concurrency: 64, perHost: 4 })) console.log(row.url, row.title);
 * ```
 */
export function fetchAll(urls: UrlSource, options?: FetchOptions & RowOrderOptions): FetchRun {
  return start(urls, options, 'fetchAll()', 'fetch');
}

/**
 * {@link fetchAll} for web pages: the same rows and pipeline, titles read from HTML with a
 * streaming parser, and asks servers for HTML (`accept: text/html,...`). It has no JSON mode (use
 * `fetchAll(urls, { json: true })` for APIs).
 *
 * @example
 * ```ts
 * const pages = await scrape(['https://example.com/', 'https://example.org/'], { concurrency: 5, timeout: 10_000 });
 * for (const page of pages) console.log(page.url, page.status, page.title, page.error?.code ?? '');
 * ```
 */
export function scrape(urls: UrlSource, options?: ScrapeOptions & RowOrderOptions): FetchRun {
  return start(urls, options, 'scrape()', 'scrape');
}
