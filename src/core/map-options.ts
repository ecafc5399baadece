/**
 * The argument checks of {@link map}, kept out of the scheduler: every bad call is a TypeError or
 * RangeError that names the argument, the value and its type, thrown before anything starts.
 */
import { signalsFor } from './abort.js';
import type { Admission } from './lookahead.js';
import { isIterable } from './map-source.js';
import { checkBoolean, checkCount, checkFunction, checkOptions, checkSignal, describe } from './validate.js';

/** How many calls run at once unless told otherwise: core map, fetchAll and the CLI share it. */
export const DEFAULT_CONCURRENCY = 16;

/**
 * How many finished results an in-order stream holds behind a slow earlier one unless told
 * otherwise. At ~100 bytes a small result, 65,536 of them are about 6 MB; big results cost more.
 */
export const DEFAULT_WINDOW = 65_536;

/** The function {@link map} applies: item, its input index, and the signal that cancels this run. */
export type Mapper<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

/** Options of {@link map}. */
export interface MapOptions<T = unknown> {
  /** How many `fn` calls run at once. Default 16. */
  concurrency?: number;
  /** Cancels the run: fn's signal aborts, in-flight calls are awaited, then it rejects with `CancelledError`. */
  signal?: AbortSignal;
  /** A failing `fn` puts its Error in the result slot instead of stopping the run. Default false. */
  returnExceptions?: boolean;
  /**
   * True (default): results in input order. False: in completion order, each as `{ index, value }`,
   * with at most `concurrency` finished results waiting for the consumer.
   */
  ordered?: boolean;
  /**
   * Streaming in order: how many finished results may wait behind a slower earlier item (and, with
   * `admission`, how many items may wait for admission) before no new item starts. Default 65,536.
   */
  window?: number;
  /** Decides per item when it may start (per-key limits, rates), without holding a concurrency slot meanwhile. */
  admission?: Admission<T, unknown>;
}

/** What the scheduler reads: every option checked and defaulted. */
export interface ResolvedMapOptions {
  concurrency: number;
  returnExceptions: boolean;
  ordered: boolean;
  window: number;
  admission: Admission<unknown, unknown> | undefined;
  /** The explicit signal and the ambient one, deduplicated. */
  parents: [AbortSignal | undefined, AbortSignal | undefined];
}

const OPTION_NAMES = ['concurrency', 'signal', 'returnExceptions', 'ordered', 'window', 'admission'] as const;

function checkAdmission(value: unknown): Admission<unknown, unknown> | undefined {
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    ['keyOf', 'tryStart', 'finished'].every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
  if (!ok) throw new TypeError(`Expected \`admission\` to be an object with keyOf, tryStart and finished methods, got ${describe(value)}`);
  return value as Admission<unknown, unknown>;
}

/**
 * Checks the arguments of a `map()` call and resolves its options.
 *
 * @example
 * ```ts
 * resolveMapArguments([1, 2], (n) => n, { concurrency: 2 }).concurrency; // 2
 * resolveMapArguments('abc', (n) => n, undefined); // TypeError: Expected `input` of map() to be an iterable...
 * ```
 */
export function resolveMapArguments(input: unknown, fn: unknown, options: unknown): ResolvedMapOptions {
  if (!isIterable(input)) {
    throw new TypeError(`Expected \`input\` of map() to be an iterable or async iterable, got ${describe(input)}`);
  }
  checkFunction('fn', fn);
  const checked = checkOptions('map()', options, OPTION_NAMES) as MapOptions;
  return {
    concurrency: checked.concurrency === undefined ? DEFAULT_CONCURRENCY : checkCount('concurrency', checked.concurrency),
    returnExceptions: checkBoolean('returnExceptions', checked.returnExceptions),
    ordered: checked.ordered === undefined ? true : checkBoolean('ordered', checked.ordered),
    window: checked.window === undefined ? DEFAULT_WINDOW : checkCount('window', checked.window),
    admission: checkAdmission(checked.admission),
    parents: signalsFor(checkSignal('signal', checked.signal)),
  };
}
