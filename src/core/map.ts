import { abortedOf, createController, onAbort, signalsFor } from './abort.js';
import { CancelledError, cancelledErrorOf, toError } from './errors.js';
import { checkBoolean, checkCount, checkFunction, checkOptions, checkSignal, describe } from './validate.js';

/** Options of {@link map}. */
export interface MapOptions {
  /** How many `fn` calls run at once. Default 16. */
  concurrency?: number;
  /** Cancels the run: fn's signal aborts, in-flight calls are awaited, then it rejects with `CancelledError`. */
  signal?: AbortSignal;
  /** A failing `fn` puts its Error in the result slot instead of stopping the run. Default false. */
  returnExceptions?: boolean;
}

/** The function {@link map} applies: item, its input index, and the signal that cancels this run. */
export type Mapper<T, R> = (item: T, index: number, signal: AbortSignal) => R | PromiseLike<R>;

const OPTION_NAMES = ['concurrency', 'signal', 'returnExceptions'] as const;
const DEFAULT_CONCURRENCY = 16;
const EAGER_WORKERS = 1024;
const noop = (): void => {};
const DONE: IteratorResult<unknown> = { done: true, value: undefined };

/**
 * Applies `fn` to every item of a sync or async iterable with at most `concurrency` calls at once,
 * results in input order. Await the returned {@link MapRun} for an array, or iterate it with
 * `for await` to stream results as they become available with backpressure: then memory stays
 * O(concurrency) however long the input is.
 *
 * The first failure aborts fn's signal for the calls in flight, waits for them, and rejects (unless
 * `returnExceptions`). `fn` gets the run's signal as its third argument: pass it on.
 *
 * @example
 * ```ts
 * const sizes = await map(urls, async (url, i, signal) => (await fetch(url, { signal })).headers.get('content-length'), { concurrency: 8 });
 * for await (const line of map(readLines(file), parseLine, { concurrency: 4 })) console.log(line);
 * ```
 */
export function map<T, R>(
  input: Iterable<T> | AsyncIterable<T>,
  fn: Mapper<T, R>,
  options: MapOptions & { returnExceptions: true },
): MapRun<Awaited<R> | Error>;
export function map<T, R>(input: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, options?: MapOptions): MapRun<Awaited<R>>;
export function map<T, R>(input: Iterable<T> | AsyncIterable<T>, fn: Mapper<T, R>, options?: MapOptions): MapRun<unknown> {
  const isIterable =
    typeof input === 'object' &&
    input !== null &&
    (typeof (input as Iterable<T>)[Symbol.iterator] === 'function' ||
      typeof (input as AsyncIterable<T>)[Symbol.asyncIterator] === 'function');
  if (!isIterable) {
    throw new TypeError(`Expected \`input\` of map() to be an iterable or async iterable, got ${describe(input)}`);
  }
  checkFunction('fn', fn);
  const checked = checkOptions('map()', options, OPTION_NAMES) as MapOptions;
  const concurrency = checked.concurrency === undefined ? DEFAULT_CONCURRENCY : checkCount('concurrency', checked.concurrency);
  const returnExceptions = checkBoolean('returnExceptions', checked.returnExceptions);
  const signal = checkSignal('signal', checked.signal);
  return new MapRun(input, fn as unknown as Mapper<unknown, unknown>, concurrency, returnExceptions, signalsFor(signal));
}


/**
 * A lazily started {@link map}: `await` it for the array of results, or `for await` it to stream them
 * in input order. It starts on the first `then()` or iteration and can be consumed one way only.
 *
 * @example
 * ```ts
 * const run = map(ids, (id, i, signal) => load(id, signal), { concurrency: 4 });
 * setTimeout(() => run.cancel('too slow'), 5_000);
 * for await (const record of run) save(record);
 * ```
 */
export class MapRun<R> implements PromiseLike<R[]>, AsyncIterable<R> {
  readonly #input: Iterable<unknown> | AsyncIterable<unknown>;
  readonly #fn: Mapper<unknown, unknown>;
  readonly #concurrency: number;
  readonly #returnExceptions: boolean;
  readonly #parents: [AbortSignal | undefined, AbortSignal | undefined];
  readonly #controller = createController();
  #stopParents: () => void = noop;
  #mode: 'idle' | 'collect' | 'stream' = 'idle';
  #collected: Promise<R[]> | undefined;

  // The running state, shared by the workers.
  #array: readonly unknown[] | undefined;
  #iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined;
  #async = false;
  #concurrentPulls = false;
  #pulling: Promise<unknown> = Promise.resolve();
  #nextIndex = 0;
  #exhausted = false;
  #stopped = false; // no new item starts (failure, cancellation, early break)
  #failure: { error: unknown } | undefined;
  #failureReported = false;
  #results: unknown[] = [];
  #liveWorkers = 0;
  #allDone!: Promise<void>;
  #markAllDone!: () => void;

  // Streaming only: finished results waiting for the consumer, and the wake-ups.
  #buffer = new Map<number, unknown>();
  #yielded = 0;
  #window = Number.POSITIVE_INFINITY;
  #consumer: { resolve: (step: IteratorResult<R>) => void; reject: (error: unknown) => void } | undefined;
  #roomWaiters: (() => void)[] = [];

  /** @internal use {@link map} */
  constructor(
    input: Iterable<unknown> | AsyncIterable<unknown>,
    fn: Mapper<unknown, unknown>,
    concurrency: number,
    returnExceptions: boolean,
    parents: [AbortSignal | undefined, AbortSignal | undefined],
  ) {
    this.#input = input;
    this.#fn = fn;
    this.#concurrency = concurrency;
    this.#returnExceptions = returnExceptions;
    this.#parents = parents;
  }

  /** Collects every result in input order (starts the run). */
  then<A = R[], B = never>(
    onFulfilled?: ((value: R[]) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#collect().then(onFulfilled, onRejected);
  }

  /** Streams results in input order as they become available (starts the run). */
  [Symbol.asyncIterator](): AsyncIterator<R> {
    this.#begin('stream');
    // Room for finished results that wait behind a slow earlier one: bounded, so memory stays
    // O(concurrency) while one slow item does not stall every worker at once.
    this.#window = this.#concurrency * 2;
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

  #collect(): Promise<R[]> {
    if (this.#collected) return this.#collected;
    this.#begin('collect');
    this.#launch();
    this.#collected = this.#allDone.then(() => {
      if (this.#failure) throw this.#failure.error;
      return this.#results as R[];
    });
    return this.#collected;
  }

  #begin(mode: 'collect' | 'stream'): void {
    if (this.#mode !== 'idle') {
      throw new TypeError('This map() run is already being consumed; await it or iterate it, once');
    }
    this.#mode = mode;
    this.#allDone = new Promise<void>((resolve) => (this.#markAllDone = resolve));
  }

  #launch(): void {
    const [explicit, ambient] = this.#parents;
    const aborted = abortedOf(explicit, ambient);
    if (this.#stopped) {
      this.#markAllDone();
      return;
    }
    if (aborted) {
      this.#stopped = true;
      this.#failure = { error: cancelledErrorOf(aborted) };
      this.#markAllDone();
      return;
    }
    this.#stopParents = onAbort(explicit, ambient, (parent) => this.#stop(cancelledErrorOf(parent)));
    const input = this.#input;
    if (Array.isArray(input)) {
      this.#array = input;
      // Allocated once at its final size: growing it slot by slot costs time and twice the memory.
      if (this.#mode === 'collect') this.#results = new Array(input.length);
    } else if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
      try {
        this.#iterator = (input as Iterable<unknown>)[Symbol.iterator]();
      } catch (error) {
        this.#stop(error);
      }
    } else {
      this.#async = true;
      try {
        this.#iterator = (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        // Async generators queue concurrent next() calls themselves; other iterators get one at a time.
        this.#concurrentPulls = Object.prototype.toString.call(this.#iterator) === '[object AsyncGenerator]';
      } catch (error) {
        this.#stop(error);
      }
    }
    // A source of unknown length gets at most EAGER_WORKERS up front; more start as items arrive
    // (see #worker), so `concurrency: Infinity` over an iterator does not spin forever.
    const workers = Math.min(this.#concurrency, this.#array ? this.#array.length : EAGER_WORKERS);
    if (workers === 0 || this.#stopped) {
      this.#finishRun();
      return;
    }
    this.#liveWorkers = workers;
    for (let w = 0; w < workers; w++) this.#spawn();
  }

  /** Starts one worker; the caller has counted it in #liveWorkers. */
  #spawn(): void {
    const worker = this.#array && this.#mode === 'collect' ? this.#arrayWorker(this.#array) : this.#worker();
    worker.then(() => this.#workerDone(), (error: unknown) => {
      this.#stop(error);
      this.#workerDone();
    });
  }

  /** The hot path (an array, collected): nothing but the loop of a hand-written pool. */
  async #arrayWorker(items: readonly unknown[]): Promise<void> {
    const fn = this.#fn;
    const signal = this.#controller.signal;
    const results = this.#results;
    const count = items.length;
    while (!this.#stopped) {
      const index = this.#nextIndex++;
      if (index >= count) return;
      try {
        results[index] = await fn(items[index], index, signal);
      } catch (error) {
        this.#failed(index, error);
      }
    }
  }

  /** Any source, either mode: pull the next item, respect the stream window, run fn, deliver. */
  async #worker(): Promise<void> {
    const fn = this.#fn;
    const signal = this.#controller.signal;
    const iterator = this.#iterator;
    const inlinePull = this.#async && this.#concurrentPulls;
    while (!this.#stopped) {
      if (this.#nextIndex >= this.#yielded + this.#window) {
        await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
        continue;
      }
      // The index is taken before the pull so that indexes follow pull order even when pulls overlap.
      if (this.#exhausted) return;
      const index = this.#nextIndex++;
      let step: IteratorResult<unknown> | undefined;
      if (inlinePull) {
        // An async generator queues overlapping next() calls itself: pull inline, no wrapper promise.
        try {
          step = await (iterator as AsyncIterator<unknown>).next();
        } catch (error) {
          this.#stop(error);
          return;
        }
      } else {
        step = this.#async ? await this.#pullOneAtATime() : this.#pullSync(index);
      }
      if (step === undefined) return; // the source failed: #stop has the error
      if (step.done) {
        this.#exhausted = true;
        return;
      }
      if (this.#stopped) return;
      const item = step.value;
      if (this.#liveWorkers < this.#concurrency && !this.#exhausted && this.#array === undefined) {
        this.#liveWorkers++; // counted now, started on a microtask: no recursion over a sync source
        queueMicrotask(() => this.#spawn());
      }
      let value: unknown;
      try {
        value = await fn(item, index, signal);
      } catch (error) {
        this.#failed(index, error);
        continue;
      }
      this.#deliver(index, value);
    }
  }

  /** The next step of a sync source, or undefined if it threw. */
  #pullSync(index: number): IteratorResult<unknown> | undefined {
    const array = this.#array;
    if (array) return index < array.length ? { done: false, value: array[index] } : DONE;
    try {
      return (this.#iterator as Iterator<unknown>).next();
    } catch (error) {
      this.#stop(error);
      return undefined;
    }
  }

  /** The next step of an async iterator that may not tolerate overlapping next() calls. */
  async #pullOneAtATime(): Promise<IteratorResult<unknown> | undefined> {
    const iterator = this.#iterator as AsyncIterator<unknown>;
    const pull = this.#pulling.then(() => (this.#exhausted ? DONE : iterator.next()));
    this.#pulling = pull.then(noop, noop);
    try {
      return await pull;
    } catch (error) {
      this.#stop(error);
      return undefined;
    }
  }

  #failed(index: number, error: unknown): void {
    if (this.#returnExceptions) {
      if (this.#mode === 'collect') this.#results[index] = toError(error);
      else this.#deliver(index, toError(error));
      return;
    }
    this.#stop(error);
  }

  #deliver(index: number, value: unknown): void {
    if (this.#mode === 'collect') {
      this.#results[index] = value;
      return;
    }
    const consumer = this.#consumer;
    if (consumer !== undefined && index === this.#yielded) {
      // The consumer is waiting for exactly this one: hand it over, no buffering.
      this.#consumer = undefined;
      this.#advance();
      consumer.resolve({ done: false, value: value as R });
      return;
    }
    this.#buffer.set(index, value);
  }

  /** One more result was handed to the consumer: a worker waiting for room may start another. */
  #advance(): void {
    this.#yielded++;
    const waiter = this.#roomWaiters.shift();
    waiter?.();
  }

  /** Called when workers stop or finish: a waiting consumer learns the end (or the failure). */
  #wake(): void {
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
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
    this.#closeSource();
    this.#wake();
  }

  #closeSource(): void {
    const iterator = this.#iterator;
    if (!iterator || this.#exhausted || typeof iterator.return !== 'function') return;
    this.#exhausted = true;
    try {
      const closing = iterator.return();
      if (closing && typeof (closing as Promise<unknown>).then === 'function') (closing as Promise<unknown>).then(noop, noop);
    } catch {
      // a source that fails to close has nothing more to give us
    }
  }

  #workerDone(): void {
    if (--this.#liveWorkers === 0) this.#finishRun();
  }

  #finishRun(): void {
    this.#stopParents();
    this.#markAllDone();
    this.#wake();
  }

  #next(): Promise<IteratorResult<R>> {
    const buffer = this.#buffer;
    if (buffer.size > 0 && buffer.has(this.#yielded)) {
      const value = buffer.get(this.#yielded);
      buffer.delete(this.#yielded);
      this.#advance();
      return Promise.resolve({ done: false, value: value as R });
    }
    if (this.#liveWorkers === 0) return this.#end();
    if (this.#consumer !== undefined) return Promise.reject(new TypeError('map() stream: next() called again before the previous next() settled'));
    return new Promise((resolve, reject) => (this.#consumer = { resolve, reject }));
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
