/**
 * The handle {@link map} returns: lazily started, awaited or iterated once. The scheduling itself
 * is {@link MapScheduler}'s; this class only decides how the results are consumed.
 */
import type { Mapper, ResolvedMapOptions } from './map-options.js';
import { MapScheduler } from './map-scheduler.js';

export type { Indexed } from './map-results.js';
export type { Mapper } from './map-options.js';

let construct: <R>(scheduler: MapScheduler) => MapRun<R>;

/**
 * Starts nothing: builds the lazily started run that {@link map} returns (the only way to make one).
 *
 * @example
 * ```ts
 * const run = createMapRun([1, 2], (n) => n, resolveMapArguments([1, 2], (n: number) => n, {}));
 * await run; // [1, 2]
 * ```
 */
export function createMapRun<R>(
  input: Iterable<unknown> | AsyncIterable<unknown>,
  fn: Mapper<unknown, unknown>,
  options: ResolvedMapOptions,
): MapRun<R> {
  return construct<R>(new MapScheduler(input, fn, options));
}

/**
 * A lazily started {@link map}: `await` it for the array of results, or `for await` it to stream
 * them (in input order, or in completion order as `{ index, value }` items with `ordered: false`). It
 * starts on the first `then()` or iteration and can be consumed one way only. Made by `map()` only.
 *
 * @example
 * ```ts
 * const run = map(ids, (id, i, signal) => load(id, signal), { concurrency: 4 });
 * setTimeout(() => run.cancel('too slow'), 5_000);
 * for await (const record of run) save(record);
 * ```
 */
export class MapRun<R> implements PromiseLike<R[]>, AsyncIterable<R> {
  static {
    construct = <R>(scheduler: MapScheduler) => new MapRun<R>(scheduler);
  }

  readonly #scheduler: MapScheduler;
  #collected: Promise<R[]> | undefined;

  private constructor(scheduler: MapScheduler) {
    this.#scheduler = scheduler;
  }

  /** Collects every result (starts the run): in input order, or in completion order with `ordered: false`. */
  then<A = R[], B = never>(
    onFulfilled?: ((value: R[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.#collected ??= this.#scheduler.collect() as Promise<R[]>;
    return this.#collected.then(onFulfilled, onRejected);
  }

  /** Streams results as they become available (starts the run). */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    return this.#scheduler.stream() as AsyncIterator<R>;
  }

  /**
   * Cancels the run: no new item starts, fn's signal aborts, and the run rejects with
   * `CancelledError` once the calls in flight settled. Returns false if it had already ended.
   */
  cancel(reason?: unknown): boolean {
    return this.#scheduler.cancel(reason);
  }
}
