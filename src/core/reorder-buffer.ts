/**
 * The reorder buffer of an in-order {@link map} stream: results that finished before an earlier
 * one, kept until the consumer reaches them. A ring indexed by input position (no Map lookups on
 * the hot path), grown by doubling when a result lands further ahead of the head than it spans.
 */

const EMPTY: unique symbol = Symbol('empty slot');

/**
 * Results keyed by input index, released strictly in index order from {@link head}.
 *
 * @example
 * ```ts
 * const buffer = new ReorderBuffer<string>();
 * buffer.put(1, 'b');
 * buffer.hasHead(); // false: index 0 has not finished
 * buffer.put(0, 'a');
 * buffer.takeHead(); // 'a', then 'b'
 * ```
 */
export class ReorderBuffer<T> {
  #slots: unknown[] = new Array<unknown>(16).fill(EMPTY);
  #mask = 15;
  #head = 0;
  #size = 0;
  /** How many results from the head on are here without a gap: what the consumer can take now. */
  #ready = 0;

  /** The index the consumer needs next. */
  get head(): number {
    return this.#head;
  }

  /** How many results wait in the buffer. */
  get size(): number {
    return this.#size;
  }

  /** How many of them the consumer can take now (no earlier result missing). */
  get ready(): number {
    return this.#ready;
  }

  /** Keeps the result of `index` (>= head) until the consumer reaches it. */
  put(index: number, value: T): void {
    if (index - this.#head > this.#mask) this.#grow(index - this.#head + 1);
    this.#slots[index & this.#mask] = value;
    this.#size++;
    if (index === this.#head + this.#ready) this.#extendReady();
  }

  /** True when the result the consumer needs next is here. */
  hasHead(): boolean {
    return this.#ready > 0;
  }

  /** Removes and returns the head result (call only after {@link hasHead}). */
  takeHead(): T {
    const slot = this.#head & this.#mask;
    const value = this.#slots[slot] as T;
    this.#slots[slot] = EMPTY;
    this.#head++;
    this.#size--;
    this.#ready--;
    return value;
  }

  /** The head result was handed to the consumer without passing through the buffer. */
  skipHead(): void {
    this.#head++;
    this.#extendReady();
  }

  /** Counts the results that follow the ready ones without a gap (each slot is counted once). */
  #extendReady(): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let next = this.#head + this.#ready;
    while (this.#ready < this.#size && slots[next & mask] !== EMPTY) {
      this.#ready++;
      next++;
    }
  }

  #grow(span: number): void {
    let capacity = this.#slots.length * 2;
    while (capacity < span) capacity *= 2;
    const old = this.#slots;
    const oldMask = this.#mask;
    const slots = new Array<unknown>(capacity).fill(EMPTY);
    const mask = capacity - 1;
    for (let index = this.#head; index < this.#head + old.length; index++) slots[index & mask] = old[index & oldMask];
    this.#slots = slots;
    this.#mask = mask;
  }
}
