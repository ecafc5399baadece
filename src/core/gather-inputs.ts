/**
 * What a gather() call was given: the variadic or the collection form, its options checked, its
 * inputs checked. Kept out of gather.ts so the primitive reads as the scheduling it does.
 */
import { noop } from './shared.js';
import { Task } from './task.js';
import { isThenable } from './types.js';
import { checkBoolean, checkCount, checkOptions, checkSignal, isIterable } from './validate.js';

/** Options of the array / iterable form of {@link gather}. */
export interface GatherOptions {
  /** Failures come back in their slot (non-Errors wrapped in an Error) instead of rejecting. Default false. */
  returnExceptions?: boolean;
  /** The first failure cancels every other child it started, then rejects once they settled. Default false (asyncio: siblings keep running). */
  cancelOnError?: boolean;
  /** At most this many jobs run at once, started in input order. Promises and Tasks are already running and are not counted. Default Infinity. */
  limit?: number;
  /** Cancels the gather and every child it started. */
  signal?: AbortSignal;
  /** Name of the returned Task. */
  name?: string;
}

const OPTION_NAMES = ['returnExceptions', 'cancelOnError', 'limit', 'signal', 'name'] as const;

/** A checked gather() call. */
export interface GatherCall {
  items: readonly unknown[];
  options: GatherOptions;
}

/**
 * Reads gather's arguments: `gather(a, b, c)` or `gather(iterable, options?)`. Throws a TypeError
 * or RangeError naming what is wrong; the caller's promises are observed first, so a bad call does
 * not also leak unhandled rejections.
 */
export function readGatherCall(args: unknown[]): GatherCall {
  const collectionForm = isCollectionCall(args);
  let items: readonly unknown[];
  if (collectionForm) {
    const collection = args[0] as Iterable<unknown>;
    items = Array.isArray(collection) ? collection : Array.from(collection);
  } else {
    items = args;
  }
  try {
    const options = checkGatherOptions(collectionForm ? args[1] : undefined);
    checkInputs(items, collectionForm);
    return { items, options };
  } catch (error) {
    observeAll(items);
    throw error;
  }
}

/** True when no input is a job or a Task: nothing gather started, so nothing it must cancel or wait for. */
export function onlyUnowned(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'function' || item instanceof Task) return false;
  }
  return true;
}

/** Marks every promise among `items` as observed: a failure nobody waits for is not an unhandled rejection. */
export function observeAll(items: readonly unknown[]): void {
  for (const item of items) if (isThenable(item)) Promise.resolve(item).then(undefined, noop);
}

function isCollectionCall(args: unknown[]): boolean {
  if (args.length === 0 || args.length > 2) return false;
  const [first, second] = args;
  if (typeof first !== 'object' || first === null || isThenable(first)) return false;
  if (!isIterable(first)) {
    if (args.length === 1 && typeof (first as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      throw new TypeError('gather() takes promises, Tasks, jobs or an iterable of them, got an async iterable; use map() to consume an async iterable');
    }
    return false;
  }
  return args.length === 1 || second === undefined || isPlainObject(second);
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || isThenable(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkGatherOptions(raw: unknown): GatherOptions {
  const options = checkOptions('gather()', raw, OPTION_NAMES) as GatherOptions;
  checkBoolean('returnExceptions', options.returnExceptions);
  checkBoolean('cancelOnError', options.cancelOnError);
  if (options.limit !== undefined) checkCount('limit', options.limit);
  checkSignal('signal', options.signal);
  return options;
}

function checkInputs(items: readonly unknown[], collectionForm: boolean): void {
  for (let i = 0; i < items.length; i++) {
    if (items[i] === undefined) {
      const where = collectionForm ? `inputs[${i}]` : `argument ${i}`;
      throw new TypeError(
        `gather() ${where} is undefined: did a .map() callback forget to \`return\`? ` +
          'Pass a promise, a Task, a job `(signal) => value`, or a value other than undefined',
      );
    }
  }
}
