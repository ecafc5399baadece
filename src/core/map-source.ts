/**
 * Where {@link map} pulls its items from: an array (read by index, no step objects), a sync iterator,
 * or an async iterator. One interface so the scheduler does not care which.
 */

/** Returned by a pull when the source has no more items. */
export const END: unique symbol = Symbol('end of source');

const noop = (): void => {};
const DONE: IteratorResult<unknown> = { done: true, value: undefined };

/** True for anything `await` would unwrap. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** True for sync and async iterables. */
export function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}

/**
 * One source of items. Sync sources answer {@link next} (an item, or {@link END} once exhausted);
 * async ones {@link nextAsync} (a raw step, unwrapped by {@link itemOf}). Both throw (reject) what
 * the source throws.
 *
 * @example
 * ```ts
 * const source = new MapSource(['a', 'b']);
 * source.next(); // 'a'
 * source.next(); // 'b'
 * source.next() === END; // true
 * ```
 */
export class MapSource {
  /** The items when the source is an array: the scheduler's fast paths read them directly. */
  readonly array: readonly unknown[] | undefined;
  readonly isAsync: boolean;
  #iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined;
  /** Async generators queue overlapping next() calls themselves; other async iterators get one at a time. */
  #overlapOk = false;
  #pulling: Promise<unknown> = Promise.resolve();
  #cursor = 0;
  #closed = false;

  /** Opens `input`; throws what its `[Symbol.iterator]()` / `[Symbol.asyncIterator]()` throws. */
  constructor(input: Iterable<unknown> | AsyncIterable<unknown>) {
    if (Array.isArray(input)) {
      this.array = input;
      this.isAsync = false;
      return;
    }
    this.array = undefined;
    if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
      this.isAsync = false;
      this.#iterator = (input as Iterable<unknown>)[Symbol.iterator]();
      return;
    }
    this.isAsync = true;
    this.#iterator = (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    this.#overlapOk = Object.prototype.toString.call(this.#iterator) === '[object AsyncGenerator]';
  }

  /** How many items, when known up front (arrays). */
  get length(): number | undefined {
    return this.array?.length;
  }

  /** The next item of a sync source, or END. */
  next(): unknown {
    const array = this.array;
    if (array !== undefined) return this.#cursor < array.length ? array[this.#cursor++] : END;
    if (this.#closed) return END;
    const step = (this.#iterator as Iterator<unknown>).next();
    if (step.done) {
      this.#closed = true;
      return END;
    }
    return step.value;
  }

  /**
   * The next step of an async source. Calls may overlap: steps come in call order. The raw step is
   * handed on (no wrapper promise per item): the caller unwraps it with {@link itemOf}.
   */
  nextAsync(): Promise<IteratorResult<unknown>> {
    if (this.#closed) return Promise.resolve(DONE);
    const iterator = this.#iterator as AsyncIterator<unknown>;
    if (this.#overlapOk) return iterator.next();
    const pull = this.#pulling.then(() => (this.#closed ? DONE : iterator.next()));
    this.#pulling = pull.then(noop, noop);
    return pull;
  }

  /** The item of a step from {@link nextAsync}, or END (then later pulls answer done at once). */
  itemOf(step: IteratorResult<unknown>): unknown {
    if (!step.done) return step.value;
    this.#closed = true;
    return END;
  }

  /** Closes an unfinished iterator (its `finally` runs); a failure to close is ignored. */
  close(): void {
    const iterator = this.#iterator;
    if (iterator === undefined || this.#closed) return;
    this.#closed = true;
    if (typeof iterator.return !== 'function') return;
    try {
      const closing = iterator.return();
      if (isThenable(closing)) closing.then(noop, noop);
    } catch {
      // a source that fails to close has nothing more to give us
    }
  }
}
