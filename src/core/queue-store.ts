/**
 * Where a queue keeps its items, one class per discipline: FIFO for `Queue`, LIFO for `LifoQueue`, a
 * binary heap for `PriorityQueue`. The queue itself only counts and waits.
 */
import { Deque } from './deque.js';

export interface Store<T> {
  readonly length: number;
  push(item: T): void;
  /** The next item by the discipline; call only when `length > 0`. */
  take(): T;
  /** Empties the store; returns how many items it held. */
  clear(): number;
}

export class FifoStore<T> extends Deque<T> implements Store<T> {
  take(): T {
    return this.shift() as T;
  }
}

export class LifoStore<T> implements Store<T> {
  #items: T[] = [];

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  take(): T {
    return this.#items.pop() as T;
  }

  clear(): number {
    const count = this.#items.length;
    this.#items = [];
    return count;
  }
}

/** Orders two items: negative when `a` comes first, as `Array#sort` comparators do. */
export type Compare<T> = (a: T, b: T) => number;

/**
 * Python's ordering for the values a priority queue usually holds: numbers, strings and bigints by
 * `<`, arrays (Python's `(priority, item)` tuples) element by element.
 */
export function naturalOrder(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const order = naturalOrder(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  if ((a as number) < (b as number)) return -1;
  if ((a as number) > (b as number)) return 1;
  return 0;
}

interface Entry<T> {
  item: T;
  /** Arrival number: equal priorities leave in arrival order (Python's heapq does not promise that). */
  seq: number;
}

export class HeapStore<T> implements Store<T> {
  #heap: Entry<T>[] = [];
  #seq = 0;
  readonly #compare: Compare<T>;

  constructor(compare: Compare<T>) {
    this.#compare = compare;
  }

  get length(): number {
    return this.#heap.length;
  }

  push(item: T): void {
    const heap = this.#heap;
    heap.push({ item, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  take(): T {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop() as Entry<T>;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < heap.length && this.#before(heap[left], heap[first])) first = left;
        if (right < heap.length && this.#before(heap[right], heap[first])) first = right;
        if (first === i) break;
        [heap[i], heap[first]] = [heap[first], heap[i]];
        i = first;
      }
    }
    return top.item;
  }

  clear(): number {
    const count = this.#heap.length;
    this.#heap = [];
    return count;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const order = this.#compare(a.item, b.item);
    return order < 0 || (order === 0 && a.seq < b.seq);
  }
}
