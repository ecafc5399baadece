/**
 * Input side of `gather fetch`: turn a file or stdin into a stream of URLs, one per line, in
 * constant memory, without ever throwing on strange bytes. Every odd line becomes a URL string that
 * the fetcher reports as a per-row error, so one bad line never aborts a million-line run.
 */

/** Default cap on one line: 64 KiB. Real URLs stay far below it (browsers cap around 2 MB, most servers at 8 KB). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/**
 * The start of the string yielded in place of an over-long line. It begins with `[`, which no URL
 * scheme can start with, so `new URL()` rejects it and the fetcher reports it as `invalid_url`
 * (one row, visible in the output) instead of the line vanishing or being split in two.
 *
 * @example
 * ```ts
 * if (row.url.startsWith(LINE_TOO_LONG_PREFIX)) hint('split or shorten that line');
 * ```
 */
export const LINE_TOO_LONG_PREFIX = '[line too long: ';

/** How much of an over-long line is kept in its marker row: enough to recognise it, small enough for a table or CSV cell. */
const PREVIEW_CHARS = 200;

/**
 * Options for {@link readUrlLines}.
 *
 * @example
 * ```ts
 * readUrlLines(process.stdin, { maxLineBytes: 8192 }); // lines over 8 KiB become one invalid_url row
 * ```
 */
export interface ReadUrlLinesOptions {
  /**
   * The longest line, in bytes (excluding the line ending), read as-is; default 64 KiB. Longer lines
   * are never buffered whole: they yield one marker row starting with {@link LINE_TOO_LONG_PREFIX}.
   */
  maxLineBytes?: number;
}

/**
 * Stream URLs from a byte or text stream, one per line, holding at most one line (capped at
 * `maxLineBytes`) in memory whatever the input size.
 *
 * Rules, in the order they apply:
 * - lines end at `\n`; a `\r` before it is dropped (CRLF files), and a last line without a newline counts;
 * - a UTF-8 byte-order mark at the very start is dropped;
 * - each line is trimmed; blank lines and lines starting with `#` are skipped;
 * - invalid UTF-8 decodes to U+FFFD, and NUL or other control bytes are kept: the line is yielded
 *   as-is so the fetcher reports it (as `invalid_url`) rather than this reader throwing;
 * - a line longer than `maxLineBytes` yields a single marker, e.g.
 *   `[line too long: 70000 bytes, limit 65536] https://example.com/aaaa…`, which fails URL parsing
 *   and so becomes one `invalid_url` row; the rest of that line is discarded without being stored.
 *   An over-long line whose kept part starts with `#` is a comment and is skipped.
 *
 * Bytes are split at `\n` before decoding, so a chunk boundary in the middle of a multi-byte
 * character is harmless. String chunks are re-encoded as UTF-8 (a stream with
 * `setEncoding('utf8')` already hands out whole characters).
 *
 * The result is an async iterator (not an async generator function, for speed: see
 * {@link UrlLineIterator}); breaking out of `for await` calls its `return()`, which closes the input.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * for await (const url of readUrlLines(createReadStream('urls.txt'))) {
 *   console.log(url); // "https://example.com", comments and blank lines skipped
 * }
 * ```
 */
export function readUrlLines(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
  options: ReadUrlLinesOptions = {},
): AsyncIterableIterator<string> {
  return new UrlLineIterator(input as AsyncIterable<Buffer | Uint8Array | string>, maxLineBytes(options));
}

/**
 * The line cap of `options`, checked.
 *
 * @example
 * ```ts
 * maxLineBytes({}); // 65536
 * ```
 */
export function maxLineBytes(options: ReadUrlLinesOptions): number {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`maxLineBytes must be a positive integer, got ${String(options.maxLineBytes)}`);
  }
  return max;
}

/**
 * The iterator behind {@link readUrlLines}. Hand-written rather than an `async function*`: each
 * chunk is split synchronously into a small batch of lines (at most one chunk's worth, so memory
 * stays bounded), and `next()` serves them with one resolved promise per line. An async generator
 * costs about three promises per line, which is most of the time spent on a million-line file,
 * and more again when async hooks are on (AsyncLocalStorage, test runners).
 */
class UrlLineIterator implements AsyncIterableIterator<string> {
  readonly #splitter: LineSplitter;
  readonly #input: AsyncIterable<Buffer | Uint8Array | string>;
  #source: AsyncIterator<Buffer | Uint8Array | string> | null = null;
  #batch: string[] = [];
  #pos = 0;
  #done = false;
  // A pull from the source in progress; later next() calls queue behind it, so lines keep their order.
  #filling: Promise<IteratorResult<string>> | null = null;
  // return() or throw() was called: the consumer wants nothing more.
  #stopped = false;

  constructor(input: AsyncIterable<Buffer | Uint8Array | string>, max: number) {
    this.#input = input;
    this.#splitter = new LineSplitter(max);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<string>> {
    if (this.#filling) return this.#filling.then(() => this.next());
    const line = this.#take();
    if (line !== undefined) return Promise.resolve({ done: false, value: line });
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    const filling = this.#fill().finally(() => {
      this.#filling = null;
    });
    this.#filling = filling;
    return filling;
  }

  /** Stop early (a `break` out of `for await`): close the source, which closes the file. */
  async return(): Promise<IteratorResult<string>> {
    await this.#close();
    return { done: true, value: undefined };
  }

  async throw(err?: unknown): Promise<IteratorResult<string>> {
    await this.#close();
    throw err;
  }

  #take(): string | undefined {
    if (this.#pos >= this.#batch.length) return undefined;
    const line = this.#batch[this.#pos++];
    if (this.#pos === this.#batch.length) {
      this.#batch = [];
      this.#pos = 0;
    }
    return line;
  }

  async #fill(): Promise<IteratorResult<string>> {
    this.#source ??= this.#input[Symbol.asyncIterator]();
    try {
      for (;;) {
        const chunk = await this.#source.next();
        if (chunk.done) {
          this.#done = true;
          this.#splitter.end(this.#batch);
        } else {
          this.#splitter.push(toBuffer(chunk.value), this.#batch);
        }
        const line = this.#take();
        if (line !== undefined) return { done: false, value: line };
        if (this.#done) return { done: true, value: undefined };
      }
    } catch (err) {
      // A failing source (EIO mid-file) ends the iteration; the error goes to the consumer, unless
      // the consumer stopped first and the error is the input being destroyed for it.
      const stopped = this.#stopped;
      this.#done = true;
      this.#batch = [];
      if (stopped) return { done: true, value: undefined };
      throw err;
    }
  }

  async #close(): Promise<void> {
    this.#stopped = true;
    if (this.#filling) {
      // A read is waiting for data that may never come (an idle pipe, a terminal): stopping must
      // not wait for it. Destroying the input ends that read now; an input that cannot be
      // destroyed is waited for.
      const input = this.#input as { destroy?: () => void };
      if (typeof input.destroy === 'function') input.destroy();
      await this.#filling.catch(() => undefined);
    }
    const wasDone = this.#done;
    this.#done = true;
    this.#batch = [];
    this.#pos = 0;
    if (!wasDone && this.#source?.return) await this.#source.return();
  }

}

/**
 * Splits bytes into URL lines, synchronously, holding at most one line (capped at `max + 1`
 * bytes) between chunks. All the line rules of {@link readUrlLines} live here.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES);
 * splitter.push(Buffer.from('https://a/\n# note\nhttps://b'), lines);
 * splitter.end(lines); // lines: ['https://a/', 'https://b']
 * ```
 */
export class LineSplitter {
  readonly #max: number;
  // The current line: the pieces kept so far (at most max + 1 bytes, the extra one so a trailing
  // "\r" of a line of exactly `max` bytes does not make it look over-long), its full length, and
  // its last byte (to spot a "\r" that fell in the discarded tail of an over-long line).
  #parts: Buffer[] = [];
  #kept = 0;
  #lineBytes = 0;
  #lastByte = -1;
  #firstLine = true;

  constructor(max: number) {
    this.#max = max;
  }

  /** Split one chunk, appending finished lines to `out`. */
  push(buf: Buffer, out: string[]): void {
    const max = this.#max;
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl === -1 ? buf.length : nl;
      if (end > start) {
        const room = max + 1 - this.#kept;
        if (room > 0) {
          const take = Math.min(room, end - start);
          // subarray shares memory with the chunk: no copy for the common case of a line inside one chunk.
          this.#parts.push(buf.subarray(start, start + take));
          this.#kept += take;
        }
        this.#lineBytes += end - start;
        this.#lastByte = buf[end - 1];
      }
      if (nl === -1) break;
      // A line ends here, even an empty one: #finishLine decides whether to skip it.
      const line = this.#finishLine();
      if (line !== null) out.push(line);
      start = nl + 1;
    }
  }

  /** The input ended: a last line without a newline still counts. */
  end(out: string[]): void {
    if (this.#lineBytes === 0) return;
    const line = this.#finishLine();
    if (line !== null) out.push(line);
  }

  #finishLine(): string | null {
    const max = this.#max;
    let bytes = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts, this.#kept);
    let length = this.#lineBytes;
    if (this.#lastByte === 0x0d) {
      length -= 1;
      if (bytes.length > length) bytes = bytes.subarray(0, length);
    }
    const isFirst = this.#firstLine;
    this.#parts = [];
    this.#kept = 0;
    this.#lineBytes = 0;
    this.#lastByte = -1;
    this.#firstLine = false;

    if (length > max) {
      // Decode only the first `max` bytes; a character cut in half there becomes U+FFFD, which is
      // fine for a marker that exists to fail parsing and to be recognisable.
      const head = bytes.subarray(0, max).toString('utf8').trimStart();
      if (head.startsWith('#')) return null;
      let cut = Math.min(head.length, PREVIEW_CHARS);
      // Do not split a surrogate pair: a lone surrogate would print as garbage.
      if (cut < head.length && isHighSurrogate(head.charCodeAt(cut - 1))) cut -= 1;
      const preview = head.slice(0, cut).trimEnd();
      return `${LINE_TOO_LONG_PREFIX}${length} bytes, limit ${max}] ${preview}…`;
    }

    let text = bytes.toString('utf8');
    if (isFirst && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    text = text.trim();
    if (text === '' || text.startsWith('#')) return null;
    return text;
  }
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
