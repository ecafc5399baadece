/**
 * `map`: apply an async function to every item of a sync or async iterable, `concurrency` calls at
 * once, awaited as an array or streamed with `for await`. The parts live beside it: the argument
 * checks (map-options.ts), the sources (map-source.ts), the scheduler (map-run.ts), the reorder
 * buffer (reorder-buffer.ts) and keyed admission (lookahead.ts).
 */
import { createMapRun, type Indexed, type MapRun, type Mapper } from './map-run.js';
import { resolveMapArguments, type MapOptions } from './map-options.js';

export { MapRun, type Indexed, type Mapper } from './map-run.js';
export { DEFAULT_CONCURRENCY, DEFAULT_WINDOW, type MapOptions } from './map-options.js';
export type { Admission } from './lookahead.js';

type Input<T> = Iterable<T | PromiseLike<T>> | AsyncIterable<T>;

/**
 * Applies `fn` to every item of a sync or async iterable with exactly `concurrency` calls in flight
 * while input remains. Await the returned {@link MapRun} for an array, or iterate it with
 * `for await` to stream results as they finish.
 *
 * - In order (default): a result that finishes before an earlier one waits in a reorder buffer of
 *   at most `window` results (default 65,536); only a full buffer makes a slow item hold the rest back.
 * - `ordered: false`: results in completion order as `{ index, value }`, memory O(concurrency).
 * - The elements of a sync iterable (or array) that are promises are awaited before `fn` sees them,
 *   as p-map does: `map([sleep(50, 'a')], fn)` calls `fn('a', 0, signal)`.
 * - `admission` decides per item when it may start (per-key limits, rates); an item it refuses
 *   waits in the look-ahead without a slot, and the slot goes to the next admitted item.
 *
 * The first failure aborts fn's signal for the calls in flight, waits for them, and rejects (unless
 * `returnExceptions`). `fn` gets the run's signal as its third argument: pass it on.
 *
 * @example
 * ```ts
 * const sizes = await map(urls, async (url, i, signal) => (await fetch(url, { signal })).headers.get('content-length'), { concurrency: 8 });
 * for await (const line of map(readLines(file), parseLine, { concurrency: 4 })) console.log(line);
 * for await (const { index, value } of map(jobs, run, { ordered: false })) console.log(`job ${index}:`, value);
 * ```
 */
export function map<T, R>(
  input: Input<T>,
  fn: Mapper<T, R>,
  options: MapOptions<T> & { ordered: false; returnExceptions: true },
): MapRun<Indexed<Awaited<R> | Error>>;
export function map<T, R>(input: Input<T>, fn: Mapper<T, R>, options: MapOptions<T> & { ordered: false }): MapRun<Indexed<Awaited<R>>>;
export function map<T, R>(
  input: Input<T>,
  fn: Mapper<T, R>,
  options: MapOptions<T> & { returnExceptions: true },
): MapRun<Awaited<R> | Error>;
export function map<T, R>(input: Input<T>, fn: Mapper<T, R>, options?: MapOptions<T>): MapRun<Awaited<R>>;
export function map<T, R>(input: Input<T>, fn: Mapper<T, R>, options?: MapOptions<T>): MapRun<unknown> {
  const resolved = resolveMapArguments(input, fn, options);
  return createMapRun(input, fn as unknown as Mapper<unknown, unknown>, resolved);
}
