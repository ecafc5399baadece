import { Queue } from './queue.js';
import { HeapStore, naturalOrder, type Compare, type Store } from './queue-store.js';
import { checkFunction, checkOptions } from './validate.js';

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions<T> {
  /** Orders items, negative when `a` comes first. Default: numbers and strings by `<`, arrays (`[priority, item]` tuples) element by element. */
  compare?: Compare<T>;
}

/**
 * A {@link Queue} that hands out the smallest item first: asyncio's `PriorityQueue`. Items are
 * usually `[priority, data]` tuples, compared element by element as Python compares tuples; equal
 * priorities leave in arrival order. Pass `compare` for other orders.
 *
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([2, 'later']); jobs.putNowait([1, 'first']);
 * jobs.getNowait(); // [1, 'first']
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  // Read lazily by the store: the base constructor creates the store before this field is set.
  #compare: Compare<T> = naturalOrder;

  constructor(maxsize = 0, options?: PriorityQueueOptions<T>) {
    super(maxsize);
    const { compare } = checkOptions('PriorityQueue', options, ['compare']) as PriorityQueueOptions<T>;
    if (compare !== undefined) {
      checkFunction('compare', compare);
      this.#compare = compare;
    }
  }

  protected override createStore(): Store<T> {
    return new HeapStore<T>((a, b) => this.#compare(a, b));
  }
}
