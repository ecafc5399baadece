import { Parents, createController } from './abort.js';
import { Deque } from './deque.js';
import { CancelledError, cancelledErrorOf, toError } from './errors.js';
import { runInScope } from './scope.js';
import { RUN_EAGERLY, Task } from './task.js';
import {
  isThenable,
  type GatherResults,
  type GatherResultsOrErrors,
  type Job,
  type Settled,
} from './types.js';
import { observeAll, onlyUnowned, readGatherCall, type GatherOptions } from './gather-inputs.js';

export type { GatherOptions } from './gather-inputs.js';

/**
 * Runs awaitables concurrently and resolves with their results in argument order: asyncio's
 * `gather`. Inputs may be promises, thenables, {@link Task}s, *jobs* (`(signal) => value | promise`,
 * started by gather so it can cancel and limit them), or plain values (passed through).
 *
 * - Variadic `gather(a, b, c)` resolves to a typed tuple; `gather(array, options)` takes options.
 * - The first failure rejects at once while the others keep running, as in asyncio, unless
 *   `cancelOnError`; with `returnExceptions` failures land in their slot as Errors.
 * - The returned Task cancels every child it started (nested gathers included) and then rejects
 *   with `CancelledError`, also with `returnExceptions`.
 * - No unhandled rejection escapes: failures that no longer matter are observed.
 *
 * @example
 * ```ts
 * const [user, repos] = await gather(fetchUser(id), (signal) => fetchRepos(id, signal));
 * const pages = await gather(urls.map((url) => (signal: AbortSignal) => fetch(url, { signal })), { limit: 10 });
 * const outcomes = await gather([ok(), fails()], { returnExceptions: true }); // [value, Error]
 * ```
 */
export function gather(): Task<[]>;
export function gather<const T extends readonly unknown[]>(
  inputs: T,
  options: GatherOptions & { returnExceptions: true },
): Task<GatherResultsOrErrors<T>>;
export function gather<const T extends readonly unknown[]>(inputs: T, options?: GatherOptions): Task<GatherResults<T>>;
export function gather<T>(inputs: Iterable<T>, options: GatherOptions & { returnExceptions: true }): Task<(Settled<T> | Error)[]>;
export function gather<T>(inputs: Iterable<T>, options?: GatherOptions): Task<Settled<T>[]>;
export function gather<const T extends unknown[]>(...inputs: T & NotOptionsCall<T>): Task<GatherResults<T>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads above carry the types
export function gather(...args: unknown[]): Task<any> {
  const { items, options } = readGatherCall(args);
  const parents = new Parents(options.signal);
  const cancelled = parents.cancelled();
  if (cancelled) {
    // Cancelled before it started: the Task below never runs the gather, so do its duties here.
    observeAll(items);
    for (const item of items) if (item instanceof Task) item.cancel(cancelled);
  }
  const runOptions = { name: options.name, signal: options.signal, [RUN_EAGERLY]: true };
  const runner = options.returnExceptions !== true && onlyUnowned(items) ? gatherUnowned : runGather;
  return new Task((signal) => runner(items, options, signal, parents), runOptions);
}

/**
 * `gather(iterable, { ... })` is always the options form at run time, so the variadic overload must
 * not accept it: a misspelled or mistyped option (`returnException`, `limit: '10'`) is then a
 * compile error instead of a second "input".
 */
type NotOptionsCall<T extends unknown[]> = T extends [infer First, infer Second]
  ? First extends PromiseLike<unknown> | string
    ? unknown
    : First extends Iterable<unknown>
      ? Second extends PromiseLike<unknown> | ((...args: never[]) => unknown)
        ? unknown
        : Second extends object
          ? never
          : unknown
      : unknown
  : unknown;

/** Below Node 20's limit of 2,097,151 elements per native Promise.all (it never settles above it). */
const NATIVE_CHUNK = 1 << 20;

/**
 * Promises and values only, no returnExceptions: the native Promise.all has exactly gather's
 * semantics here (order, first failure rejects at once, the rest observed) and is the fastest there
 * is, so huge inputs go through it in chunks under its limit. Cancelling rejects at once: there is
 * nothing gather started to wait for.
 */
function gatherUnowned(items: readonly unknown[], _options: GatherOptions, signal: AbortSignal): Promise<unknown[]> {
  let all: Promise<unknown[]>;
  if (items.length <= NATIVE_CHUNK) {
    all = Promise.all(items);
  } else {
    const chunks: Promise<unknown[]>[] = [];
    for (let start = 0; start < items.length; start += NATIVE_CHUNK) {
      chunks.push(Promise.all(items.slice(start, start + NATIVE_CHUNK)));
    }
    all = Promise.all(chunks).then((parts) => ([] as unknown[]).concat(...parts));
  }
  return new Promise<unknown[]>((resolve, reject) => {
    const onCancel = (): void => reject(cancelledErrorOf(signal));
    signal.addEventListener('abort', onCancel, { once: true });
    all.then(
      (results) => {
        signal.removeEventListener('abort', onCancel);
        resolve(results);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onCancel);
        reject(error);
      },
    );
  });
}

/**
 * The gather itself. One settle callback per child, a countdown of children still pending, results
 * written by index (asyncio's `_GatheringFuture`). No native Promise.all: it never settles on
 * Node 20 from 2,097,151 elements up.
 */
function runGather(
  items: readonly unknown[],
  options: GatherOptions,
  signal: AbortSignal,
  parents: Parents,
): Promise<unknown[]> {
  const count = items.length;
  if (count === 0) return Promise.resolve([]);
  const returnExceptions = options.returnExceptions === true;
  const cancelOnError = options.cancelOnError === true;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  return new Promise<unknown[]>((resolve, reject) => {
    const results: unknown[] = new Array(count);
    let pending = count; // slots not yet filled
    let owned = 0; // started jobs and Tasks not yet settled: what a cancel waits for
    let running = 0; // started jobs not yet settled, for `limit`
    let launching = true;
    let decided = false; // the outcome is known (resolved, rejected, or stopping towards a rejection)
    let stopping = false; // cancelling children; reject with `stopError` once `owned` reaches 0
    let stopError: unknown;
    let children: AbortController | undefined; // created on the first job
    let tasks: Task<unknown>[] | undefined;
    let firstIndexOf: Map<Function, number> | undefined; // the same job twice runs once
    let aliases: number[] | undefined; // pairs [duplicate, first]
    let stopLeftovers: (() => void) | undefined; // after a default-mode failure: see fail()
    const queue = limit === Number.POSITIVE_INFINITY ? undefined : new Deque<number>();

    const onCancel = (): void => stop(cancelledErrorOf(signal));
    signal.addEventListener('abort', onCancel, { once: true });

    function fillSlot(index: number, ok: boolean, value: unknown): void {
      if (decided) return;
      if (ok) results[index] = value;
      else if (returnExceptions) results[index] = toError(value);
      else {
        fail(value);
        return;
      }
      if (--pending === 0 && !launching) finish();
    }

    const failShared = (error: unknown): void => {
      if (!decided) fail(error);
    };

    function finish(): void {
      decided = true;
      signal.removeEventListener('abort', onCancel);
      if (aliases) for (let i = 0; i < aliases.length; i += 2) results[aliases[i]] = results[aliases[i + 1]];
      resolve(results);
    }

    function fail(error: unknown): void {
      if (cancelOnError) {
        stop(error);
        return;
      }
      decided = true; // asyncio: reject now, the siblings keep running
      signal.removeEventListener('abort', onCancel);
      if (owned > 0) {
        // The gather's Task has settled and unlinked itself from the caller's signals, but the
        // jobs it started still run (and queued ones still start): an abort must still reach them.
        stopLeftovers = parents.onAbort((parent) => {
          stopping = true; // no queued job starts any more
          children?.abort(cancelledErrorOf(parent));
        });
      }
      reject(error);
    }

    function stop(error: unknown): void {
      if (decided) return;
      decided = true;
      stopping = true;
      stopError = error;
      signal.removeEventListener('abort', onCancel);
      children?.abort(signal.aborted ? signal.reason : new CancelledError(error, 'cancelled: a sibling failed (cancelOnError)'));
      if (tasks) for (const task of tasks) task.cancel();
      if (owned === 0 && !launching) reject(stopError);
    }

    function onOwnedSettled(): void {
      owned--;
      if (stopping) {
        if (owned === 0 && !launching) reject(stopError);
        return;
      }
      if (queue !== undefined && running < limit && queue.length > 0) startJob(queue.shift() as number);
      if (decided && owned === 0) stopLeftovers?.();
    }

    function startJob(index: number): void {
      const job = items[index] as Job<unknown>;
      owned++;
      running++;
      children ??= createController();
      const childSignal = children.signal;
      let result: unknown;
      try {
        result = runInScope(childSignal, job, childSignal);
      } catch (error) {
        jobSettled(index, false, error);
        return;
      }
      if (isThenable(result)) {
        Promise.resolve(result).then(
          (value) => jobSettled(index, true, value),
          (error: unknown) => jobSettled(index, false, error),
        );
      } else {
        jobSettled(index, true, result);
      }
    }

    function jobSettled(index: number, ok: boolean, value: unknown): void {
      running--;
      childSettled(index, ok, value);
    }

    // The slot first, then the next queued job: a failure under cancelOnError must stop the queue
    // before it starts anything.
    function childSettled(index: number, ok: boolean, value: unknown): void {
      fillSlot(index, ok, value);
      onOwnedSettled();
    }

    for (let index = 0; index < count; index++) {
      const item = items[index];
      if (item instanceof Promise) {
        // The hot path (1,000,000 promises): one closure per child, and without returnExceptions
        // one rejection handler shared by all, as the native Promise.all does.
        item.then(
          (value) => {
            if (decided) return;
            results[index] = value;
            if (--pending === 0 && !launching) finish();
          },
          returnExceptions ? (error: unknown) => fillSlot(index, false, error) : failShared,
        );
      } else if (typeof item === 'function') {
        const first = (firstIndexOf ??= new Map()).get(item);
        if (first !== undefined) {
          (aliases ??= []).push(index, first);
          pending--;
          continue;
        }
        firstIndexOf.set(item, index);
        if (stopping) continue; // cancelled while launching: later jobs never start
        if (running < limit) startJob(index);
        else queue?.push(index);
      } else if (item instanceof Task) {
        owned++;
        (tasks ??= []).push(item);
        item.then(
          (value) => childSettled(index, true, value),
          (error: unknown) => childSettled(index, false, error),
        );
      } else if (isThenable(item)) {
        Promise.resolve(item).then(
          (value) => fillSlot(index, true, value),
          (error: unknown) => fillSlot(index, false, error),
        );
      } else {
        results[index] = item;
        pending--;
      }
    }
    launching = false;
    if (stopping) {
      if (owned === 0) reject(stopError);
    } else if (!decided && pending === 0) {
      finish();
    }
  });
}
