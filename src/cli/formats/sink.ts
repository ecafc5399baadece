/**
 * Writes the text of rows to a stream with backpressure: `write` returns a promise only when the
 * stream is full (it resolves on 'drain'), and a stream failure (EPIPE when piped to `head`) is
 * remembered and reported by the next call instead of crashing the process. Optionally batches
 * the rows finished within a few milliseconds into one write.
 */

/**
 * The most text a batching sink holds before it writes; at most half the stream's high-water
 * mark, so that a batch alone never makes the stream say it is full.
 */
export const BATCH_BYTES = 64 * 1024;

/** The longest a batching sink holds a finished row before writing it. */
export const BATCH_MS = 5;

type WritableLike = NodeJS.WritableStream & {
  destroyed?: boolean;
  writableEnded?: boolean;
  writableNeedDrain?: boolean;
};

/**
 * A stream writer that waits for 'drain' when the stream says so and remembers its failure.
 *
 * @example
 * ```ts
 * const sink = new Sink(process.stdout, true);
 * await sink.write('{"ok":true}\n');
 * await sink.finish('', false);
 * ```
 */
export class Sink {
  readonly #out: WritableLike;
  #error: Error | null = null;
  /** Batching: the most text held before writing, else 0. */
  readonly #batchBytes: number;
  #pending = '';
  #flushing: NodeJS.Timeout | undefined;

  constructor(out: NodeJS.WritableStream, batch: boolean) {
    this.#out = out as WritableLike;
    const highWaterMark = (out as { writableHighWaterMark?: number }).writableHighWaterMark ?? BATCH_BYTES;
    this.#batchBytes = batch ? Math.max(1, Math.min(BATCH_BYTES, Math.floor(highWaterMark / 2))) : 0;
    // Without a listener a stream 'error' (EPIPE) crashes the process; record it and report it
    // through the next write or end, where the caller can decide (e.g. exit quietly on EPIPE).
    this.#out.on('error', (err: Error) => {
      this.#error ??= err;
    });
  }

  /** Writes (or holds, when batching) `chunk`; a promise only when the stream is full. */
  write(chunk: string): Promise<void> | void {
    this.#check();
    if (this.#batchBytes === 0) {
      if (!this.#out.write(chunk)) return this.#drain();
      return;
    }
    this.#pending += chunk;
    if (this.#pending.length >= this.#batchBytes) this.#writePending();
    // The batch goes out shortly, with whatever else finishes meanwhile.
    else this.#flushing ??= setTimeout(this.#flushLater, BATCH_MS);
    // The stream is full (this batch or an earlier one): wait before the next row.
    if (this.#out.writableNeedDrain) return this.#drain();
  }

  /** Writes what is held and `chunk`, waits for the stream to drain, and ends it when asked. */
  async finish(chunk: string, endStream: boolean): Promise<void> {
    this.#check();
    this.#pending += chunk;
    this.#writePending();
    if (this.#out.writableNeedDrain) await this.#drain();
    if (endStream) {
      await new Promise<void>((resolve) => {
        this.#out.end(() => resolve());
      });
    }
    if (this.#error) throw this.#error;
  }

  /** Writes the text held, if any. Backpressure is left to the caller (writableNeedDrain). */
  #writePending(): void {
    if (this.#flushing !== undefined) {
      clearTimeout(this.#flushing);
      this.#flushing = undefined;
    }
    const text = this.#pending;
    if (text === '') return;
    this.#pending = '';
    this.#out.write(text);
  }

  readonly #flushLater = (): void => {
    this.#flushing = undefined;
    if (this.#error || this.#out.destroyed || this.#out.writableEnded) return; // reported by the next call
    this.#writePending();
  };

  #check(): void {
    if (this.#error) throw this.#error;
    if (this.#out.destroyed || this.#out.writableEnded) throw new Error('output stream is closed');
  }

  #drain(): Promise<void> {
    const out = this.#out;
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        out.removeListener('drain', onDrain);
        out.removeListener('error', onError);
        out.removeListener('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      // A stream destroyed while we wait never drains: do not hang the run.
      const onClose = (): void => done(this.#error ?? new Error('output stream closed before it drained'));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
  }
}
