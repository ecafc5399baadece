/**
 * Keyed admission for {@link map}: before an item starts, an {@link Admission} may refuse it for
 * now (its key is at a limit, or must wait some milliseconds). A refused item is parked in the
 * look-ahead without taking one of the `concurrency` slots, and the slot goes to the next item that
 * is admitted: no head-of-line blocking across keys. Items of one key start in input order.
 *
 * Fair share: a free slot goes first to a key with nothing running (parked, or among the next items
 * pulled for the purpose), then to the admitted key with the most items waiting. So input grouped
 * by key spreads over as many keys at once as interleaved input would, instead of filling every
 * slot with the first keys, and the keys with the most left to do are not left for last.
 */
import { Deque } from './deque.js';

/**
 * Decides when an item of {@link map} may start. `keyOf` is asked once per item; `tryStart` before
 * each start, with the time from `performance.now()`; `finished` when an admitted item's call settled.
 * Per-key concurrency, rate limits or any other rule fit this shape; map stays exact on its own
 * `concurrency` either way.
 *
 * @example
 * ```ts
 * // At most 2 items per key in flight.
 * const running = new Map<string, number>();
 * const perKey: Admission<{ host: string }, string> = {
 *   keyOf: (item) => item.host,
 *   tryStart: (key) => ((running.get(key) ?? 0) < 2 ? (running.set(key, (running.get(key) ?? 0) + 1), true) : Infinity),
 *   finished: (key) => void running.set(key, running.get(key)! - 1),
 * };
 * await map(items, fetchItem, { concurrency: 64, admission: perKey });
 * ```
 */
export interface Admission<T, K = unknown> {
  /** The key of an item (asked once, when the item is pulled from the input). */
  keyOf(item: T, index: number): K;
  /**
   * May an item of `key` start now? `true` takes the permit; a number is how many ms to wait before
   * asking again; `Infinity` means not before some admitted item has finished.
   */
  tryStart(key: K, now: number): true | number;
  /** An item of `key` that `tryStart` admitted has finished (its call settled). */
  finished(key: K): void;
}

/** An item pulled from the input and not started yet. */
export interface Parked<K> {
  index: number;
  item: unknown;
  key: K;
}

/** The parked items of one key, and when it is worth asking about that key again. */
interface KeyLine<K> {
  items: Deque<Parked<K>>;
  /** Not before this time (a numeric refusal). */
  notBefore: number;
  /** Refused with Infinity at this release count: not worth asking before the next release. */
  blockedAt: number;
}

/**
 * The parked items of a run, by key in the order keys were first parked.
 *
 * @example
 * ```ts
 * const lookahead = new Lookahead(admission);
 * if (lookahead.offer({ index, item, key: lookahead.keyOf(item, index) }, performance.now(), false)) start(item);
 * else later(() => lookahead.takeAdmitted(performance.now(), false));
 * ```
 */
export class Lookahead<K> {
  readonly #admission: Admission<unknown, K>;
  readonly #lines = new Map<K, KeyLine<K>>();
  /** Admitted and not finished, per key (only keys with some). */
  readonly #running = new Map<K, number>();
  #size = 0;
  #releases = 0;
  #retryAt = Number.POSITIVE_INFINITY;

  constructor(admission: Admission<unknown, K>) {
    this.#admission = admission;
  }

  /** Parked items. */
  get size(): number {
    return this.#size;
  }

  /** The earliest time a numeric refusal named, from the last {@link takeAdmitted} (Infinity: none). */
  get retryAt(): number {
    return this.#retryAt;
  }

  keyOf(item: unknown, index: number): K {
    return this.#admission.keyOf(item, index);
  }

  /**
   * A freshly pulled item: true if it may start now, else it is parked (behind older items of its
   * key, which go first). `idleKeysOnly`: park it unasked when its key already has items running.
   */
  offer(parked: Parked<K>, now: number, idleKeysOnly: boolean): boolean {
    let line = this.#lines.get(parked.key);
    if (line === undefined) {
      if (idleKeysOnly && this.#running.has(parked.key)) {
        line = { items: new Deque<Parked<K>>(), notBefore: 0, blockedAt: -1 };
        this.#lines.set(parked.key, line);
        line.items.push(parked);
        this.#size++;
        return false;
      }
      const answer = this.#admission.tryStart(parked.key, now);
      if (answer === true) return this.#admitted(parked.key);
      line = { items: new Deque<Parked<K>>(), notBefore: 0, blockedAt: -1 };
      this.#refused(line, answer, now);
      this.#lines.set(parked.key, line);
    }
    line.items.push(parked);
    this.#size++;
    return false;
  }

  /**
   * The oldest parked item whose key is admitted now, or undefined (see {@link retryAt}).
   * `idleKeysOnly`: only keys with nothing running are asked.
   */
  takeAdmitted(now: number, idleKeysOnly: boolean): Parked<K> | undefined {
    this.#retryAt = Number.POSITIVE_INFINITY;
    if (this.#size === 0) return undefined;
    if (!idleKeysOnly) {
      // The key with the most items waiting goes first: under per-key limits each key is a chain,
      // and starting the longest chains first evens out when the keys finish (fewer idle slots at the end).
      let longest: [K, KeyLine<K>] | undefined;
      for (const entry of this.#lines) {
        const line = entry[1];
        if (line.blockedAt === this.#releases || now < line.notBefore) continue;
        if (longest === undefined || line.items.length > longest[1].items.length) longest = entry;
      }
      if (longest !== undefined) {
        const taken = this.#ask(longest[0], longest[1], now);
        if (taken !== undefined) return taken;
      }
    }
    for (const [key, line] of this.#lines) {
      if (line.blockedAt === this.#releases || (idleKeysOnly && this.#running.has(key))) continue;
      if (now < line.notBefore) {
        if (line.notBefore < this.#retryAt) this.#retryAt = line.notBefore;
        continue;
      }
      const taken = this.#ask(key, line, now);
      if (taken !== undefined) return taken;
      if (line.notBefore < this.#retryAt && line.blockedAt !== this.#releases) this.#retryAt = line.notBefore;
    }
    return undefined;
  }

  /** Asks the admission for `key`'s oldest parked item: the item if admitted, else records the refusal. */
  #ask(key: K, line: KeyLine<K>, now: number): Parked<K> | undefined {
    const answer = this.#admission.tryStart(key, now);
    if (answer !== true) {
      this.#refused(line, answer, now);
      return undefined;
    }
    const parked = line.items.shift() as Parked<K>;
    this.#size--;
    if (line.items.length === 0) this.#lines.delete(key);
    this.#admitted(key);
    return parked;
  }

  #refused(line: KeyLine<K>, answer: number, now: number): void {
    if (answer === Number.POSITIVE_INFINITY || Number.isNaN(answer)) line.blockedAt = this.#releases;
    else line.notBefore = now + Math.max(answer, 0);
  }

  #admitted(key: K): true {
    this.#running.set(key, (this.#running.get(key) ?? 0) + 1);
    return true;
  }

  /** An admitted item finished: its permit goes back, and every blocked key is worth asking again. */
  finished(key: K): void {
    const running = (this.#running.get(key) as number) - 1;
    if (running === 0) this.#running.delete(key);
    else this.#running.set(key, running);
    this.#releases++;
    this.#admission.finished(key);
  }

  /** Drops every parked item (the run stopped). */
  clear(): void {
    this.#lines.clear();
    this.#size = 0;
  }
}
