/**
 * The scheduler behind {@link map}: `concurrency` workers, each running one call at a time, that
 * never idle while input remains and the results waiting for the consumer have room. How far the run
 * gets ahead of the consumer is bounded by the `window` (finished results held), not by how many
 * run at once, so one slow item holds the others back only once the window is full.
 */
import { abortedOf, createController, onAbort } from './abort.js';
import { Deque } from './deque.js';
import { CancelledError, cancelledErrorOf, toError } from './errors.js';
import { Lookahead, type Parked } from './lookahead.js';
import { END, MapSource, isThenable } from './map-source.js';
import type { ResolvedMapOptions } from './map-options.js';
import { ReorderBuffer } from './reorder-buffer.js';

/** The function {@link map} applies: item, its input index, and the signal that cancels this run. */
export type Mapper<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

/** What an unordered {@link map} (`ordered: false`) yields: each result with its input index. */
export interface Indexed<R> {
  index: number;
  value: R;
}

/** A source of unknown length starts at most this many workers up front; more start as items arrive. */
const EAGER_WORKERS = 1024;
const noop = (): void => {};
let construct: <R>(input: Iterable<unknown> | AsyncIterable<unknown>, fn: Mapper<unknown, unknown>, options: ResolvedMapOptions) => MapRun<R>;

/** Starts nothing: builds the lazily started run that {@link map} returns (the only way to make one). */
export function createMapRun<R>(
  input: Iterable<unknown> | AsyncIterable<unknown>,
  fn: Mapper<unknown, unknown>,
  options: ResolvedMapOptions,
): MapRun<R> {
  return construct<R>(input, fn, options);
}

/**
 * A lazily started {@link map}: `await` it for the array of results, or `for await` it to stream
 * them (in input order, or in completion order as {@link Indexed} items with `ordered: false`). It
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
    construct = (input, fn, options) => new MapRun(input, fn, options);
  }

  readonly #input: Iterable<unknown> | AsyncIterable<unknown>;
  readonly #fn: Mapper<unknown, unknown>;
  readonly #options: ResolvedMapOptions;
  readonly #controller = createController();
  #source!: MapSource;
  #lookahead: Lookahead<unknown> | undefined;
  #stopParents: () => void = noop;
  #mode: 'idle' | 'collect' | 'stream' = 'idle';
  #collected: Promise<R[]> | undefined;

  #nextIndex = 0;
  #exhausted = false;
  #stopped = false; // no new item starts (failure, cancellation, early break)
  #failure: { error: unknown } | undefined;
  #failureReported = false;
  #liveWorkers = 0;
  #allDone!: Promise<void>;
  #markAllDone!: () => void;
  /** Workers with nothing to start: waiting for room, a release, or a retry time. */
  #idle = new Deque<() => void>();
  #retryTimer: NodeJS.Timeout | undefined;
  #retryTimerAt = Number.POSITIVE_INFINITY;

  // Results: the array (collect), or what waits for the consumer (stream).
  #results: unknown[] = [];
  #reorder: ReorderBuffer<unknown> | undefined; // stream, in order
  #arrived: Deque<Indexed<unknown>> | undefined; // stream, unordered
  /** Finished results the consumer has not taken; calls start only while below #holdLimit. */
  #held = 0;
  #holdLimit = Number.POSITIVE_INFINITY;
  // Typed over unknown, not R, so that MapRun stays covariant in R (the overloads of map() rely on it).
  #consumer: { resolve: (step: IteratorResult<unknown>) => void; reject: (error: unknown) => void } | undefined;

  private constructor(input: Iterable<unknown> | AsyncIterable<unknown>, fn: Mapper<unknown, unknown>, options: ResolvedMapOptions) {
    this.#input = input;
    this.#fn = fn;
    this.#options = options;
  }

  /** Collects every result (starts the run): in input order, or in completion order with `ordered: false`. */
  then<A = R[], B = never>(
    onFulfilled?: ((value: R[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    if (!this.#collected) {
      this.#begin('collect');
      this.#launch();
      this.#collected = this.#allDone.then(() => {
        if (this.#failure) throw this.#failure.error;
        return this.#results as R[];
      });
    }
    return this.#collected.then(onFulfilled, onRejected);
  }

  /** Streams results as they become available (starts the run). */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.#begin('stream');
    const { ordered, window, concurrency } = this.#options;
    if (ordered) this.#reorder = new ReorderBuffer();
    else this.#arrived = new Deque();
    // Unordered results wait only for a consumer that is busy: O(concurrency) of them at most.
    this.#holdLimit = ordered ? window : Math.min(window, concurrency);
    this.#launch();
    return {
      next: () => this.#next(),
      return: async () => {
        this.#stop(new CancelledError('the consumer stopped iterating'));
        await this.#allDone;
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * Cancels the run: no new item starts, fn's signal aborts, and the run rejects with
   * `CancelledError` once the calls in flight settled. Returns false if it had already ended.
   */
  cancel(reason?: unknown): boolean {
    if (this.#stopped) return false;
    // Before the run starts this only records the failure: #launch then starts no worker.
    this.#stop(reason instanceof CancelledError ? reason : new CancelledError(reason));
    return true;
  }

  #begin(mode: 'collect' | 'stream'): void {
    if (this.#mode !== 'idle') {
      throw new TypeError('This map() run is already being consumed; await it or iterate it, once');
    }
    this.#mode = mode;
    this.#allDone = new Promise<void>((resolve) => (this.#markAllDone = resolve));
  }

  #launch(): void {
    const [explicit, ambient] = this.#options.parents;
    const aborted = abortedOf(explicit, ambient);
    if (aborted && !this.#stopped) {
      this.#stopped = true;
      this.#failure = { error: cancelledErrorOf(aborted) };
    }
    if (this.#stopped) return this.#markAllDone();
    this.#stopParents = onAbort(explicit, ambient, (parent) => this.#stop(cancelledErrorOf(parent)));
    try {
      this.#source = new MapSource(this.#input);
    } catch (error) {
      this.#stop(error);
      return this.#finishRun();
    }
    const { admission, concurrency, ordered } = this.#options;
    if (admission) this.#lookahead = new Lookahead(admission);
    const length = this.#source.length;
    // Allocated once at its final size: growing it slot by slot costs time and twice the memory.
    if (this.#mode === 'collect' && ordered && length !== undefined) this.#results = new Array(length);
    const workers = Math.min(concurrency, length ?? EAGER_WORKERS);
    if (workers === 0) return this.#finishRun();
    this.#liveWorkers = workers;
    for (let w = 0; w < workers; w++) this.#spawn();
  }

  /** Starts one worker; the caller has counted it in #liveWorkers. */
  #spawn(): void {
    const fast = this.#mode === 'collect' && this.#options.ordered && this.#source.array && !this.#lookahead;
    const worker = fast ? this.#arrayWorker(this.#source.array as readonly unknown[]) : this.#worker();
    worker.then(() => this.#workerDone(), (error: unknown) => {
      this.#stop(error);
      this.#workerDone();
    });
  }

  /** The hot path (an array, collected in order): nothing but the loop of a hand-written pool. */
  async #arrayWorker(items: readonly unknown[]): Promise<void> {
    const fn = this.#fn;
    const signal = this.#controller.signal;
    const results = this.#results;
    const count = items.length;
    while (!this.#stopped) {
      const index = this.#nextIndex++;
      if (index >= count) return;
      try {
        let item = items[index];
        if (isThenable(item)) item = await item;
        results[index] = await fn(item, index, signal);
      } catch (error) {
        this.#failed(index, error);
      }
    }
  }

  /** Any source, mode and admission: take the next startable item, run fn, deliver. */
  async #worker(): Promise<void> {
    const fn = this.#fn;
    const signal = this.#controller.signal;
    const source = this.#source;
    const lookahead = this.#lookahead;
    while (!this.#stopped) {
      // Parked items first (already pulled, so they start even when the results wait on the consumer).
      const next = lookahead?.takeAdmitted(performance.now());
      if (next === undefined && (this.#exhausted || !this.#roomToPull())) {
        if (this.#exhausted && (lookahead === undefined || lookahead.size === 0)) return;
        if (lookahead !== undefined) this.#armRetry(lookahead.retryAt);
        await this.#waitIdle();
        continue;
      }
      let index: number;
      let item: unknown;
      let key: unknown;
      if (next !== undefined) {
        ({ index, item, key } = next);
      } else {
        // The index is taken before the pull so that indexes follow pull order when pulls overlap.
        index = this.#nextIndex++;
        try {
          if (source.isAsync) {
            const step = await source.nextAsync();
            if (step.done) source.ended();
            item = step.done ? END : step.value;
          } else {
            item = source.next();
          }
        } catch (error) {
          this.#stop(error);
          return;
        }
        if (item === END) {
          this.#exhausted = true;
          continue;
        }
        if (this.#stopped) return;
        if (this.#liveWorkers < this.#options.concurrency && source.array === undefined) {
          this.#liveWorkers++; // counted now, started on a microtask: no recursion over a sync source
          queueMicrotask(() => this.#spawn());
        }
        if (lookahead !== undefined) {
          key = lookahead.keyOf(item, index);
          if (!lookahead.offer({ index, item, key }, performance.now())) continue;
        }
      }
      let value: unknown;
      let ok = true;
      try {
        // A sync source of promises: the item is what the promise gives (as p-map does).
        if (!source.isAsync && isThenable(item)) item = await item;
        value = await fn(item, index, signal);
      } catch (error) {
        ok = false;
        value = error;
      }
      if (lookahead !== undefined) {
        lookahead.finished(key);
        this.#wakeAll(); // a permit came back: a parked item may start
      }
      if (ok) this.#deliver(index, value);
      else this.#failed(index, value);
    }
  }

  /**
   * May a new item be pulled? Only while the results waiting for the consumer are below the limit,
   * and the parked items and those results together fit in the window (the look-ahead's bound).
   */
  #roomToPull(): boolean {
    if (this.#held >= this.#holdLimit) return false;
    const lookahead = this.#lookahead;
    return lookahead === undefined || lookahead.size + this.#held < this.#options.window;
  }

  #waitIdle(): Promise<void> {
    return new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #wakeAll(): void {
    for (let wake = this.#idle.shift(); wake !== undefined; wake = this.#idle.shift()) wake();
  }

  /** Wakes the idle workers at `at` (a numeric refusal's retry time), unless a timer fires earlier. */
  #armRetry(at: number): void {
    if (!Number.isFinite(at) || at >= this.#retryTimerAt) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimerAt = at;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#retryTimerAt = Number.POSITIVE_INFINITY;
      this.#wakeAll();
    }, Math.max(0, Math.ceil(at - performance.now())));
  }

  #failed(index: number, error: unknown): void {
    if (this.#options.returnExceptions) this.#deliver(index, toError(error));
    else this.#stop(error);
  }

  #deliver(index: number, value: unknown): void {
    if (this.#mode === 'collect') {
      if (this.#options.ordered) this.#results[index] = value;
      else this.#results.push({ index, value });
      return;
    }
    const consumer = this.#consumer;
    const reorder = this.#reorder;
    if (reorder !== undefined) {
      if (consumer !== undefined && index === reorder.head) {
        // The consumer is waiting for exactly this one: hand it over, no buffering.
        this.#consumer = undefined;
        reorder.skipHead();
        consumer.resolve({ done: false, value: value as R });
        return;
      }
      reorder.put(index, value);
    } else {
      const indexed: Indexed<unknown> = { index, value };
      if (consumer !== undefined) {
        this.#consumer = undefined;
        consumer.resolve({ done: false, value: indexed as R });
        return;
      }
      (this.#arrived as Deque<Indexed<unknown>>).push(indexed);
    }
    this.#held++;
  }

  /** Called when workers stop or finish: a waiting consumer learns the end (or the failure). */
  #wakeConsumer(): void {
    const consumer = this.#consumer;
    if (consumer === undefined || this.#liveWorkers > 0) return;
    this.#consumer = undefined;
    this.#next().then(consumer.resolve, consumer.reject);
  }

  /** Stops the run with `error` (the first one wins): nothing new starts, fn's signal aborts. */
  #stop(error: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#failure = { error };
    this.#controller.abort(error instanceof CancelledError ? error : new CancelledError(error, 'cancelled: the map() run stopped'));
    this.#lookahead?.clear();
    this.#clearRetry();
    this.#wakeAll();
    if (this.#mode !== 'idle') this.#source?.close();
    this.#wakeConsumer();
  }

  #clearRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#retryTimerAt = Number.POSITIVE_INFINITY;
  }

  #workerDone(): void {
    if (--this.#liveWorkers === 0) this.#finishRun();
  }

  #finishRun(): void {
    this.#clearRetry();
    this.#stopParents();
    this.#markAllDone();
    this.#wakeConsumer();
  }

  /** One result taken by the consumer: its room goes to a worker waiting for it. */
  #took(): void {
    // Every idle worker may pull again once there is room: all `concurrency` run whenever it is not full.
    if (--this.#held < this.#holdLimit && this.#idle.length > 0) this.#wakeAll();
  }

  #next(): Promise<IteratorResult<R>> {
    const reorder = this.#reorder;
    if (reorder !== undefined) {
      if (reorder.hasHead()) {
        const value = reorder.takeHead();
        this.#took();
        return Promise.resolve({ done: false, value: value as R });
      }
    } else if ((this.#arrived as Deque<Indexed<unknown>>).length > 0) {
      const value = (this.#arrived as Deque<Indexed<unknown>>).shift();
      this.#took();
      return Promise.resolve({ done: false, value: value as R });
    }
    if (this.#liveWorkers === 0) return this.#end();
    if (this.#consumer !== undefined) return Promise.reject(new TypeError('map() stream: next() called again before the previous next() settled'));
    return new Promise<IteratorResult<unknown>>((resolve, reject) => (this.#consumer = { resolve, reject })) as Promise<IteratorResult<R>>;
  }

  /** The end of the stream: done, or the failure once (after every finished result was yielded). */
  async #end(): Promise<IteratorResult<R>> {
    await this.#allDone;
    if (this.#failure && !this.#failureReported) {
      this.#failureReported = true;
      throw this.#failure.error;
    }
    return { done: true, value: undefined };
  }
}
