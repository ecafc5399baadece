/**
 * The results of a streamed {@link map} on their way to the `for await` consumer: in input order
 * through a {@link ReorderBuffer}, or in completion order as `{ index, value }`. A result the
 * waiting consumer needs goes straight to it; the others are held and counted (the scheduler starts
 * new items only while few enough are held).
 */
import { Deque } from './deque.js';
import { ReorderBuffer } from './reorder-buffer.js';

/** What an unordered {@link map} (`ordered: false`) yields: each result with its input index. */
export interface Indexed<R> {
  index: number;
  value: R;
}

/** Returned by {@link StreamResults.take} when no result is ready. */
export const NOTHING: unique symbol = Symbol('no result ready');

interface Consumer {
  resolve(step: IteratorResult<unknown>): void;
  reject(error: unknown): void;
}

/**
 * Finished results not yet taken by the consumer, and the consumer waiting for one.
 *
 * @example
 * ```ts
 * const results = new StreamResults(true, 65_536, 16);
 * results.deliver(1, 'b'); // held: index 0 comes first
 * const first = results.wait(); // the consumer waits for index 0
 * results.deliver(0, 'a'); // first resolves { done: false, value: 'a' }
 * results.take(); // 'b'
 * ```
 */
export class StreamResults {
  readonly #reorder: ReorderBuffer<unknown> | undefined;
  readonly #arrived: Deque<Indexed<unknown>> | undefined;
  #held = 0;
  #consumer: Consumer | undefined;
  readonly #window: number;
  readonly #readyLimit: number;

  /**
   * `window`: results held at most (behind a slower earlier one, in order). `lag`: results the
   * consumer could take but has not, at most: a consumer slower than the work holds the run back
   * once that many are ready, reordering or not.
   */
  constructor(ordered: boolean, window: number, lag: number) {
    if (ordered) this.#reorder = new ReorderBuffer();
    else this.#arrived = new Deque();
    this.#window = window;
    this.#readyLimit = Math.min(window, lag);
  }

  /** May another item start? Only while the held results fit the window and the consumer keeps up. */
  hasRoom(): boolean {
    return this.#held < this.#window && this.ready < this.#readyLimit;
  }

  /** Finished results held for the consumer. */
  get held(): number {
    return this.#held;
  }

  /** Held results the consumer can take now: all of them unordered; in order, those with no earlier one missing. */
  get ready(): number {
    return this.#reorder === undefined ? this.#held : this.#reorder.ready;
  }

  /** True while the consumer waits in {@link wait}. */
  get consumerWaiting(): boolean {
    return this.#consumer !== undefined;
  }

  /** A finished result: to the waiting consumer if it is the one it needs, else held. */
  deliver(index: number, value: unknown): void {
    const consumer = this.#consumer;
    const reorder = this.#reorder;
    if (reorder !== undefined) {
      if (consumer !== undefined && index === reorder.head) {
        this.#consumer = undefined;
        reorder.skipHead();
        consumer.resolve({ done: false, value });
        return;
      }
      reorder.put(index, value);
    } else {
      const indexed: Indexed<unknown> = { index, value };
      if (consumer !== undefined) {
        this.#consumer = undefined;
        consumer.resolve({ done: false, value: indexed });
        return;
      }
      (this.#arrived as Deque<Indexed<unknown>>).push(indexed);
    }
    this.#held++;
  }

  /** The next result the consumer may have now (no longer held), or {@link NOTHING}. */
  take(): unknown {
    const reorder = this.#reorder;
    if (reorder !== undefined) {
      if (!reorder.hasHead()) return NOTHING;
      this.#held--;
      return reorder.takeHead();
    }
    const arrived = this.#arrived as Deque<Indexed<unknown>>;
    if (arrived.length === 0) return NOTHING;
    this.#held--;
    return arrived.shift();
  }

  /** Waits for the next result (one waiter at a time: the caller checks {@link consumerWaiting}). */
  wait(): Promise<IteratorResult<unknown>> {
    return new Promise((resolve, reject) => (this.#consumer = { resolve, reject }));
  }

  /** Removes the waiting consumer, to settle it another way (the end of the run, a failure). */
  takeConsumer(): Consumer | undefined {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    return consumer;
  }
}
