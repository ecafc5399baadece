/**
 * The scheduler behind {@link map} (its handle is `MapRun`): `concurrency` workers, one call each at
 * a time, that never idle while input remains and the results waiting for the consumer have room.
 * How far the run gets ahead of the consumer is bounded by the `window` (finished results held), not
 * by how many run at once: one slow item holds the others back only once the window is full.
 */
import { abortedOf, createController, onAbort } from './abort.js';
import { CancelledError, cancelledErrorOf, toError } from './errors.js';
import { IdleWorkers } from './idle-workers.js';
import { Lookahead, type Parked } from './lookahead.js';
import type { Mapper, ResolvedMapOptions } from './map-options.js';
import { NOTHING, StreamResults } from './map-results.js';
import { END, MapSource, isThenable } from './map-source.js';

/** With admission, how many items one start may pull ahead looking for a key with nothing running. */
const PROBE_LIMIT = 1024;
/** A source of unknown length starts at most this many workers up front; more start as items arrive. */
const EAGER_WORKERS = 1024;

/**
 * One run of map: its workers, source, admission, results and cancellation.
 * @example
 * ```ts
 * const scheduler = new MapScheduler([1, 2, 3], (n) => n * 2, resolveMapArguments([1, 2, 3], (n: number) => n * 2, {}));
 * await scheduler.collect(); // [2, 4, 6]
 * ```
 */
export class MapScheduler {
  readonly #input: Iterable<unknown> | AsyncIterable<unknown>;
  readonly #fn: Mapper<unknown, unknown>;
  readonly #options: ResolvedMapOptions;
  readonly #controller = createController();
  #source!: MapSource;
  #lookahead: Lookahead<unknown> | undefined;
  #stopParents: () => void = () => {};
  #mode: 'idle' | 'collect' | 'stream' = 'idle';

  #nextIndex = 0;
  #exhausted = false;
  #stopped = false; // no new item starts (failure, cancellation, early break)
  #failure: { error: unknown } | undefined;
  #failureReported = false;
  #liveWorkers = 0;
  #allDone!: Promise<void>;
  #markAllDone!: () => void;
  /** Workers with nothing to start: waiting for room, a release, or a retry time. */
  readonly #idle = new IdleWorkers();
  #results: unknown[] = []; // collected
  /** Streamed: the results waiting for the consumer; new items start only while it has room. */
  #stream: StreamResults | undefined;

  constructor(input: Iterable<unknown> | AsyncIterable<unknown>, fn: Mapper<unknown, unknown>, options: ResolvedMapOptions) {
    this.#input = input;
    this.#fn = fn;
    this.#options = options;
  }

  /** Starts the run and resolves to every result (in input order, or `{ index, value }` in completion order). */
  collect(): Promise<unknown[]> {
    this.#begin('collect');
    this.#launch();
    return this.#allDone.then(() => (this.#failure ? Promise.reject(this.#failure.error) : this.#results));
  }

  /** Starts the run and streams the results as they become available. */
  stream(): AsyncIterator<unknown> {
    this.#begin('stream');
    const { ordered, window, concurrency } = this.#options;
    // A consumer slower than the work holds the run back once `concurrency` results are ready for it.
    this.#stream = new StreamResults(ordered, window, concurrency);
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

  /** See {@link MapRun.cancel}. */
  cancel(reason?: unknown): boolean {
    if (this.#stopped) return false;
    // Before the run starts this only records the failure: #launch then starts no worker.
    this.#stop(reason instanceof CancelledError ? reason : new CancelledError(reason));
    return true;
  }

  #begin(mode: 'collect' | 'stream'): void {
    if (this.#mode !== 'idle') throw new TypeError('This map() run is already being consumed; await it or iterate it, once');
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
    const array = this.#lookahead === undefined ? this.#source.array : undefined;
    const collect = this.#mode === 'collect' && this.#options.ordered;
    const worker = array === undefined || !(collect || this.#stream) ? this.#worker() : this.#arrayWorker(array, this.#stream);
    worker.then(() => this.#workerDone(), (error: unknown) => {
      this.#stop(error);
      this.#workerDone();
    });
  }

  /** The hot paths (an array without admission, collected in order or streamed): a hand-written pool's loop. */
  async #arrayWorker(items: readonly unknown[], stream: StreamResults | undefined): Promise<void> {
    const fn = this.#fn;
    const signal = this.#controller.signal;
    const results = this.#results;
    const count = items.length;
    while (!this.#stopped) {
      if (stream !== undefined && !stream.hasRoom()) {
        await this.#idle.wait();
        continue;
      }
      const index = this.#nextIndex++;
      if (index >= count) return;
      try {
        let item = items[index];
        if (isThenable(item)) item = await item;
        if (stream === undefined) results[index] = await fn(item, index, signal);
        else stream.deliver(index, await fn(item, index, signal));
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
    const probeLimit = Math.min(this.#options.concurrency, PROBE_LIMIT);
    let probes = 0; // items pulled since the last start, looking for a key with nothing running
    while (!this.#stopped) {
      // Parked items first (already pulled, so they start even when the results wait on the consumer);
      // while more may be pulled, only keys with nothing running (fair share, see lookahead.ts).
      const canPull = !this.#exhausted && this.#roomToPull();
      const idleKeysOnly = canPull && probes < probeLimit;
      const next = lookahead?.takeAdmitted(performance.now(), idleKeysOnly);
      if (next === undefined && !canPull) {
        if (this.#exhausted && (lookahead === undefined || lookahead.size === 0)) return;
        if (lookahead !== undefined) this.#idle.wakeAt(lookahead.retryAt);
        await this.#idle.wait();
        continue;
      }
      let index: number, item: unknown, key: unknown;
      if (next !== undefined) {
        ({ index, item, key } = next);
      } else {
        // The index is taken before the pull so that indexes follow pull order when pulls overlap.
        index = this.#nextIndex++;
        try {
          item = source.isAsync ? source.itemOf(await source.nextAsync()) : source.next();
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
          if (!lookahead.offer({ index, item, key }, performance.now(), ++probes < probeLimit)) continue;
        }
      }
      probes = 0;
      let value: unknown;
      let ok = true;
      try {
        // A sync source of promises: the item is what the promise gives (as p-map does).
        value = await fn(!source.isAsync && isThenable(item) ? await item : item, index, signal);
      } catch (error) {
        ok = false;
        value = error;
      }
      if (lookahead !== undefined) {
        lookahead.finished(key);
        this.#idle.wakeAll(); // a permit came back: a parked item may start
      }
      if (ok) this.#deliver(index, value);
      else this.#failed(index, value);
    }
  }

  /** May a new item be pulled? While few enough results wait and, with parked items, all fit the window. */
  #roomToPull(): boolean {
    const stream = this.#stream;
    if (stream !== undefined && !stream.hasRoom()) return false;
    const lookahead = this.#lookahead;
    return lookahead === undefined || lookahead.size + (stream === undefined ? 0 : stream.held) < this.#options.window;
  }

  /** A failed call (or a promise element that rejected): its slot, or the end of the run. */
  #failed(index: number, error: unknown): void {
    if (this.#options.returnExceptions) this.#deliver(index, toError(error));
    else this.#stop(error);
  }

  #deliver(index: number, value: unknown): void {
    const stream = this.#stream;
    if (stream !== undefined) stream.deliver(index, value);
    else if (this.#options.ordered) this.#results[index] = value;
    else this.#results.push({ index, value });
  }

  /** Called when workers stop or finish: a waiting consumer learns the end (or the failure). */
  #wakeConsumer(): void {
    if (this.#liveWorkers > 0) return;
    const consumer = this.#stream?.takeConsumer();
    if (consumer !== undefined) this.#next().then(consumer.resolve, consumer.reject);
  }

  /** Stops the run with `error` (the first one wins): nothing new starts, fn's signal aborts. */
  #stop(error: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#failure = { error };
    this.#controller.abort(error instanceof CancelledError ? error : new CancelledError(error, 'cancelled: the map() run stopped'));
    this.#lookahead?.clear();
    this.#idle.dispose();
    this.#idle.wakeAll();
    if (this.#mode !== 'idle') this.#source?.close();
    this.#wakeConsumer();
  }

  #workerDone(): void {
    if (--this.#liveWorkers === 0) this.#finishRun();
  }

  #finishRun(): void {
    this.#idle.dispose();
    this.#stopParents();
    this.#markAllDone();
    this.#wakeConsumer();
  }

  #next(): Promise<IteratorResult<unknown>> {
    const stream = this.#stream as StreamResults;
    const value = stream.take();
    if (value !== NOTHING) {
      // Every idle worker may pull again once there is room: all `concurrency` run whenever it is not full.
      if (this.#idle.size > 0 && stream.hasRoom()) this.#idle.wakeAll();
      return Promise.resolve({ done: false, value });
    }
    if (this.#liveWorkers === 0) return this.#end();
    if (stream.consumerWaiting) return Promise.reject(new TypeError('map() stream: next() called again before the previous next() settled'));
    return stream.wait();
  }

  /** The end of the stream: done, or the failure once (after every finished result was yielded). */
  async #end(): Promise<IteratorResult<unknown>> {
    await this.#allDone;
    if (this.#failure && !this.#failureReported) {
      this.#failureReported = true;
      throw this.#failure.error;
    }
    return { done: true, value: undefined };
  }
}
