import { parentsFromOptions } from './abort.js';
import type { SignalOptions } from './event.js';
import { FifoStore, type Store } from './queue-store.js';
import { describe } from './validate.js';
import { WaitQueue } from './waiters.js';

/**
 * Thrown by `put`, `get` and their `Nowait` forms once the queue was shut down (`get` only once it is
 * also empty): Python 3.13's `QueueShutDown`. A `for await` over the queue ends on it.
 *
 * @example
 * ```ts
 * try { await queue.get(); } catch (error) { if (error instanceof QueueShutDown) return; throw error; }
 * ```
 */
export class QueueShutDown extends Error {
  override readonly name = 'QueueShutDown';

  constructor(message = 'the queue was shut down') {
    super(message);
  }
}

/**
 * Thrown by `getNowait()` on an empty queue (asyncio's `QueueEmpty`).
 *
 * @example
 * ```ts
 * try { handle(queue.getNowait()); } catch (error) { if (!(error instanceof QueueEmpty)) throw error; }
 * ```
 */
export class QueueEmpty extends Error {
  override readonly name = 'QueueEmpty';

  constructor(message = 'the queue is empty: use `await get()` to wait for an item') {
    super(message);
  }
}

/**
 * Thrown by `putNowait()` on a full queue (asyncio's `QueueFull`).
 *
 * @example
 * ```ts
 * try { queue.putNowait(event); } catch (error) { if (error instanceof QueueFull) dropped++; else throw error; }
 * ```
 */
export class QueueFull extends Error {
  override readonly name = 'QueueFull';

  constructor(message = 'the queue is full: use `await put(item)` to wait for room') {
    super(message);
  }
}

const done = Promise.resolve();

/**
 * A first-in, first-out queue for producers and consumers: asyncio's `Queue`, with Python 3.13's
 * `shutdown()`. `put` waits while the queue holds `maxsize` items (0: unbounded), `get` while it is
 * empty; both are abortable and strictly first come, first served: an item put while consumers wait
 * belongs to the first of them, a slot freed while producers wait to the first producer. `taskDone()`
 * and `join()` track items handed out and not yet finished. `for await (const item of queue)` gets
 * items until the queue is shut down and empty.
 *
 * @example
 * ```ts
 * const queue = new Queue<string>(100);
 * const workers = Array.from({ length: 4 }, () => createTask(async () => {
 *   for await (const url of queue) { await fetch(url); queue.taskDone(); }
 * }));
 * for (const url of urls) await queue.put(url);
 * await queue.join();   // every url handled
 * queue.shutdown();     // the workers' loops end
 * await gather(workers);
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  /** The most items the queue holds; 0 means unbounded. */
  readonly maxsize: number;
  readonly #store: Store<T>;
  readonly #getters = new WaitQueue();
  readonly #putters = new WaitQueue();
  readonly #joiners = new WaitQueue();
  /** Items already promised to getters that were woken but have not resumed yet. */
  #itemsPromised = 0;
  /** Free slots already promised to putters that were woken but have not resumed yet. */
  #slotsPromised = 0;
  #unfinished = 0;
  #shutdown = false;

  /** @param maxsize the most items held at once; 0 (the default) or Infinity for unbounded. */
  constructor(maxsize = 0) {
    if (maxsize !== Number.POSITIVE_INFINITY && (typeof maxsize !== 'number' || !Number.isInteger(maxsize) || maxsize < 0)) {
      const message = `Expected \`maxsize\` to be an integer from 0 and up (0 is unbounded) or \`Infinity\`, got ${describe(maxsize)}`;
      throw typeof maxsize === 'number' ? new RangeError(message) : new TypeError(message);
    }
    this.maxsize = maxsize === Number.POSITIVE_INFINITY ? 0 : maxsize;
    this.#store = this.createStore();
  }

  /** Where the items are kept: the one thing LifoQueue and PriorityQueue change. */
  protected createStore(): Store<T> {
    return new FifoStore<T>();
  }

  /** How many items the queue holds (asyncio's `qsize()`). */
  get size(): number {
    return this.#store.length;
  }

  /** Items put and not yet marked done with `taskDone()`. */
  get unfinished(): number {
    return this.#unfinished;
  }

  /** True once `shutdown()` was called. */
  get isShutdown(): boolean {
    return this.#shutdown;
  }

  /** True when the queue holds no item. */
  empty(): boolean {
    return this.#store.length === 0;
  }

  /** True when a `put` now would wait. Never true for an unbounded queue. */
  full(): boolean {
    return this.maxsize > 0 && this.#store.length + this.#slotsPromised >= this.maxsize;
  }

  /** Puts `item` without waiting; throws `QueueFull` when full, `QueueShutDown` after shutdown. */
  putNowait(item: T): void {
    if (this.#shutdown) throw new QueueShutDown();
    if (this.full()) throw new QueueFull();
    this.#add(item);
  }

  /** Puts `item`, waiting for room while the queue is full; abortable. */
  put(item: T, options?: SignalOptions): Promise<void> {
    const parents = parentsFromOptions('Queue#put()', options);
    if (this.#shutdown) return Promise.reject(new QueueShutDown());
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.#slotsPromised === 0 && !this.full()) {
      this.#add(item);
      return done;
    }
    // Behind the putters already woken: their items go in first.
    const put = this.#putters.wait(parents, () => this.#slotLost(), () => {
      this.#slotsPromised--;
      if (this.#shutdown) throw new QueueShutDown();
      this.#add(item);
    });
    this.#wakePutters();
    return put;
  }

  /**
   * Takes the next item without waiting; throws `QueueEmpty` (or `QueueShutDown` once shut down and
   * empty). Called between a `put` that woke a waiting `get` and that get resuming (the same turn),
   * it takes the oldest item and the woken get the next one: nothing is lost, the order shifts by one.
   */
  getNowait(): T {
    if (this.#store.length - this.#itemsPromised <= 0) throw this.#shutdown ? new QueueShutDown() : new QueueEmpty();
    return this.#take();
  }

  /** Takes the next item, waiting while the queue is empty; abortable. */
  get(options?: SignalOptions): Promise<T> {
    const parents = parentsFromOptions('Queue#get()', options);
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.#itemsPromised === 0 && this.#store.length > 0) return Promise.resolve(this.#take());
    if (this.#shutdown && this.#store.length - this.#itemsPromised <= 0) return Promise.reject(new QueueShutDown());
    // Behind the getters already woken: they take the oldest items first.
    const got = this.#getters.wait(parents, () => this.#itemLost(), () => {
      if (this.#itemsPromised > 0) this.#itemsPromised--;
      if (this.#store.length === 0) throw new QueueShutDown(); // drained by shutdown(true)
      return this.#take();
    });
    this.#wakeGetters();
    return got;
  }

  /** Marks one item taken with `get` as finished; `join()` resolves when none is left unfinished. */
  taskDone(): void {
    if (this.#unfinished <= 0) throw new RangeError('taskDone() called more times than there were items put');
    if (--this.#unfinished === 0) this.#joiners.wakeAll();
  }

  /** Resolves once every item put has been marked done with `taskDone()`; abortable. */
  join(options?: SignalOptions): Promise<void> {
    const parents = parentsFromOptions('Queue#join()', options);
    const cancelled = parents.cancelled();
    if (cancelled) return Promise.reject(cancelled);
    if (this.#unfinished === 0) return done;
    return this.#joiners.wait(parents);
  }

  /**
   * Shuts the queue down (Python 3.13): `put` fails with `QueueShutDown` from now on, waiting
   * producers at once; `get` keeps returning the items left, then fails with `QueueShutDown`. With
   * `immediate`, the items left are dropped (and count as done for `join()`), and waiting consumers
   * fail at once too.
   */
  shutdown(immediate = false): void {
    this.#shutdown = true;
    if (immediate) {
      const dropped = this.#store.clear();
      this.#itemsPromised = 0;
      this.#unfinished = Math.max(0, this.#unfinished - dropped);
      if (this.#unfinished === 0) this.#joiners.wakeAll();
    }
    this.#getters.rejectAll(new QueueShutDown());
    this.#putters.rejectAll(new QueueShutDown());
  }

  /** Gets items until the queue is shut down and empty. Call `taskDone()` yourself if you `join()`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    // A plain iterator object rather than an async generator: one promise per item instead of three.
    const next = (): Promise<IteratorResult<T>> =>
      this.get().then(
        (value): IteratorResult<T> => ({ done: false, value }),
        (error: unknown): IteratorResult<T> => {
          if (error instanceof QueueShutDown) return { done: true, value: undefined };
          throw error;
        },
      );
    return {
      next,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  #add(item: T): void {
    this.#store.push(item);
    this.#unfinished++;
    this.#wakeGetters();
  }

  #take(): T {
    const item = this.#store.take();
    this.#wakePutters();
    return item;
  }

  /** Promises each item nobody was promised yet to the next waiting getter. */
  #wakeGetters(): void {
    while (this.#store.length - this.#itemsPromised > 0 && this.#getters.wakeOne()) this.#itemsPromised++;
  }

  /** Promises each free slot nobody was promised yet to the next waiting putter. */
  #wakePutters(): void {
    while (!this.full() && this.#putters.wakeOne()) this.#slotsPromised++;
  }

  /** A woken getter was cancelled before it resumed: its item goes to the next getter. */
  #itemLost(): void {
    this.#itemsPromised--;
    this.#wakeGetters();
  }

  /** A woken putter was cancelled before it resumed: its slot goes to the next putter. */
  #slotLost(): void {
    this.#slotsPromised--;
    this.#wakePutters();
  }
}
