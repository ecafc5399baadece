/**
 * The rows of a run that are known without fetching, merged into the fetched ones in input order:
 * rows kept from an earlier run (`--resume`) and repeats of an earlier line (`--dedupe`). Only the
 * other lines go to fetchAll; their rows come back in input order too, so one queue of what each
 * input line is, read as the input is read, tells where every row goes.
 */
import type { FetchRow } from '../http/types.js';
import { dedupeKey } from './dedupe.js';

type Entry = { index: number; kind: 'fetch' } | { index: number; kind: 'kept'; row: FetchRow } | { index: number; kind: 'duplicate'; of: number; url: string };

/** How to plan: kept rows by input index, and whether to dedupe. */
export interface RowPlanOptions {
  kept?: Map<number, FetchRow>;
  dedupe?: boolean;
}

/**
 * One run's plan: `urls` is what to fetch (hand it to fetchAll), `rows()` turns fetchAll's rows
 * into every input line's row, in order.
 *
 * @example
 * ```ts
 * const plan = new RowPlan(lines, { dedupe: true });
 * for await (const row of plan.rows(fetchAll(plan.urls))) write(row);
 * ```
 */
export class RowPlan {
  readonly urls: AsyncIterable<string>;
  readonly #queue: Entry[] = [];
  #head = 0;
  readonly #kept: Map<number, FetchRow>;
  readonly #dedupe: boolean;
  /** Dedupe: the first index of each key, and the rows of those firsts once known. */
  readonly #firstOf = new Map<string, number>();
  readonly #firstRows = new Map<number, FetchRow>();

  constructor(input: AsyncIterable<string> | Iterable<string>, options: RowPlanOptions = {}) {
    this.#kept = options.kept ?? new Map();
    this.#dedupe = options.dedupe === true;
    this.urls = this.#read(input);
  }

  async *#read(input: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
    let index = 0;
    for await (const url of input) {
      const at = index++;
      const kept = this.#kept.get(at);
      if (this.#dedupe) {
        const key = dedupeKey(url);
        const first = this.#firstOf.get(key);
        if (first === undefined) this.#firstOf.set(key, at);
        else if (kept === undefined) {
          this.#queue.push({ index: at, kind: 'duplicate', of: first, url });
          continue;
        }
      }
      if (kept !== undefined) {
        this.#queue.push({ index: at, kind: 'kept', row: kept });
        continue;
      }
      this.#queue.push({ index: at, kind: 'fetch' });
      yield url;
    }
  }

  /** Every line's row in input order, from the rows fetchAll gives for {@link urls}. */
  async *rows(fetched: AsyncIterable<FetchRow>): AsyncGenerator<FetchRow> {
    const iterator = fetched[Symbol.asyncIterator]();
    try {
      for (;;) {
        yield* this.#known();
        const next = await iterator.next();
        yield* this.#known();
        if (next.done) return;
        const entry = this.#take();
        this.#remember(entry.index, next.value);
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }

  /**
   * The kept rows not given out yet, in input order: after an interruption they still belong in the
   * output file, or the rows of the earlier run would be lost.
   */
  leftovers(): FetchRow[] {
    return [...this.#kept.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  }

  /** The rows at the front of the queue that need no fetch. */
  *#known(): Generator<FetchRow> {
    for (;;) {
      const entry = this.#queue[this.#head];
      if (entry === undefined || entry.kind === 'fetch') break;
      this.#take();
      if (entry.kind === 'kept') {
        this.#kept.delete(entry.index);
        this.#remember(entry.index, entry.row);
        yield entry.row;
      } else {
        const first = this.#firstRows.get(entry.of);
        yield first === undefined ? duplicateWithoutFirst(entry.url, entry.of) : { ...first, url: entry.url, duplicateOf: entry.of };
      }
    }
  }

  #remember(index: number, row: FetchRow): void {
    if (this.#dedupe) this.#firstRows.set(index, row);
  }

  /** The entry at the front; entries given out are dropped now and then, so the queue stays as short as the lookahead. */
  #take(): Entry {
    const entry = this.#queue[this.#head++]!;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return entry;
  }
}

/** A repeat whose first line's row never came (the run was cut short before it). */
function duplicateWithoutFirst(url: string, of: number): FetchRow {
  return {
    url, ok: false, status: 0, title: null, finalUrl: null, redirects: 0, bytes: 0, timeMs: 0, attempts: 0,
    error: { code: 'aborted', message: 'cancelled before the request started' },
    duplicateOf: of,
  };
}
