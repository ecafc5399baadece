/**
 * Reading a response body: decompression (gzip, deflate, br), a limit on decoded bytes (so a
 * decompression bomb stops at `maxBytes`), early stop, and always leaving the body consumed or
 * destroyed, never hanging.
 *
 * The reader is event-driven rather than `for await`: a consumer that has seen enough can stop in
 * the middle of a chunk, and a small remainder can be drained (keeping the keep-alive connection
 * reusable) instead of destroyed.
 */
import type { Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** Remainders up to this size are drained so the connection can be reused; larger ones are cut. */
export const DRAIN_LIMIT = 64 * 1024;

/**
 * How long a body of unknown length (chunked) may take to drain in the background before it is cut.
 * Most of a page's tail is already in flight when we stop; a body that stalls is not waited for.
 */
export const DRAIN_GRACE_MS = 250;

/**
 * The decoded body went over `maxBytes` before the reader had what it needed.
 *
 * @example
 * ```ts
 * new BodyTooLargeError(1024).message; // 'body larger than 1024 bytes (maxBytes) after decoding'
 * ```
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly limit: number;

  constructor(limit: number) {
    super(`body larger than ${limit} bytes (maxBytes) after decoding`);
    this.limit = limit;
  }
}

/**
 * The body could not be decoded: corrupt compressed data or an unsupported Content-Encoding.
 *
 * @example
 * ```ts
 * // a BodyDecoder's onFail(error) for a corrupt gzip body:
 * error instanceof BodyDecodeError; // true: the row's code is bad_body
 * ```
 */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The one Content-Encoding a body is decoded from. */
export type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

/**
 * The one coding to undo, per Content-Encoding. Throws BodyDecodeError for anything else (stacked
 * codings included: servers do not send them for an `accept-encoding: gzip, deflate, br` request).
 *
 * @example
 * ```ts
 * codingOf('x-gzip'); // 'gzip'
 * codingOf(undefined); // 'identity'
 * codingOf('zstd'); // throws BodyDecodeError
 * ```
 */
export function codingOf(header: string | string[] | undefined): Coding {
  if (header === undefined) return 'identity'; // most responses: nothing to parse
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  const codings = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1) {
    const [coding] = codings;
    if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
    if (coding === 'deflate' || coding === 'br') return coding;
  }
  throw new BodyDecodeError(`unsupported Content-Encoding "${value}" (gather decodes gzip, deflate and br)`);
}

function createDecompressor(coding: Exclude<Coding, 'identity'>, first: Buffer): Transform {
  // Lenient like browsers: a stream cut short without its trailer yields what it has.
  const zlibOptions = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  if (coding === 'gzip') return createGunzip(zlibOptions);
  if (coding === 'br') {
    return createBrotliDecompress({
      flush: constants.BROTLI_OPERATION_FLUSH,
      finishFlush: constants.BROTLI_OPERATION_FLUSH,
    });
  }
  // "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw deflate: a zlib header's
  // low nibble is 8 (the deflate method); raw deflate's first byte rarely is.
  return (first[0]! & 0x0f) === 0x08 ? createInflate(zlibOptions) : createInflateRaw(zlibOptions);
}

/**
 * The Content-Length header as a number, or undefined when absent or not a plain decimal.
 *
 * @example
 * ```ts
 * lengthOf('2041'); // 2041
 * lengthOf(undefined); // undefined
 * ```
 */
export function lengthOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

const noop = (): void => {};

/** What a {@link BodyDecoder} tells its owner. */
export interface BodyDecoderEvents {
  /** Gets each decoded chunk in order; returns true when it has seen enough (stop reading). */
  onChunk(chunk: Buffer): boolean;
  /** Reading ended: the body was read to its end (`complete`), or `onChunk` had enough. Called once. */
  onDone(complete: boolean): void;
  /** Reading failed (too large, undecodable, the source's own error, `onChunk` threw). Called once. */
  onFail(error: unknown): void;
  /** The raw source should stop for now (the decompressor's buffer is full)... */
  pause(): void;
  /** ...and may go on. */
  resume(): void;
}

/**
 * The body reading logic without the plumbing: raw chunks are pushed in (`write`, `end`, `fail`)
 * by whatever receives them (a Readable's events, or undici's dispatch handler callbacks),
 * decompressed per Content-Encoding, bounded by `maxBytes` decoded bytes, and handed to
 * `events.onChunk` until it has seen enough. Identity bodies are handed over synchronously.
 *
 * @example
 * ```ts
 * const decoder = new BodyDecoder(codingOf(headers['content-encoding']), 1024 * 1024, events);
 * socketLike.on('data', (chunk) => decoder.write(chunk));
 * socketLike.on('end', () => decoder.end());
 * ```
 */
export class BodyDecoder {
  readonly #coding: Coding;
  readonly #maxBytes: number;
  readonly #events: BodyDecoderEvents;
  #decompressor: Transform | undefined;
  #bytes = 0;
  #settled = false;

  constructor(coding: Coding, maxBytes: number, events: BodyDecoderEvents) {
    this.#coding = coding;
    this.#maxBytes = maxBytes;
    this.#events = events;
  }

  /** Decoded bytes handed to `onChunk` so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True once `onDone` or `onFail` was called (or the owner stopped it): later input is ignored. */
  get settled(): boolean {
    return this.#settled;
  }

  /** The next raw (possibly compressed) bytes. */
  write(raw: Buffer): void {
    if (this.#settled) return;
    if (this.#coding === 'identity') return this.#decoded(raw);
    let decompressor = this.#decompressor;
    if (decompressor === undefined) {
      decompressor = createDecompressor(this.#coding, raw);
      this.#decompressor = decompressor;
      decompressor.on('data', this.#decoded);
      decompressor.on('end', this.#decodedEnd);
      decompressor.on('error', this.#decodeError);
    }
    // Backpressure: a bomb inflates fast, so let zlib's buffer drain before feeding it more.
    if (!decompressor.write(raw)) {
      this.#events.pause();
      decompressor.once('drain', () => {
        if (!this.#settled) this.#events.resume();
      });
    }
  }

  /** The raw body ended. */
  end(): void {
    if (this.#settled) return;
    if (this.#decompressor) this.#decompressor.end();
    else this.#succeed(true);
  }

  /** The raw source failed: passed on as is. */
  fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    this.#events.onFail(error);
  }

  /** The owner lets go of the body for reasons of its own: no more events. */
  stop(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
  }

  readonly #decoded = (chunk: Buffer): void => {
    if (this.#settled) return;
    const room = this.#maxBytes - this.#bytes;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#bytes += part.length;
    let enough: boolean;
    try {
      enough = this.#events.onChunk(part);
    } catch (error) {
      return this.fail(error);
    }
    if (enough) return this.#succeed(false);
    if (part !== chunk) this.fail(new BodyTooLargeError(this.#maxBytes));
  };

  readonly #decodedEnd = (): void => {
    this.#succeed(true);
  };

  readonly #decodeError = (error: Error): void => {
    const what = this.#coding === 'br' ? 'brotli' : this.#coding;
    this.fail(new BodyDecodeError(`could not decode the ${what} body: ${error.message}`, { cause: error }));
  };

  #succeed(complete: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    // After an early stop the rest (compressed or not) is let go without decoding it.
    if (!complete) this.#release();
    else this.#detach();
    this.#events.onDone(complete);
  }

  #detach(): void {
    const decompressor = this.#decompressor;
    if (!decompressor) return;
    decompressor.off('data', this.#decoded);
    decompressor.off('end', this.#decodedEnd);
    decompressor.off('error', this.#decodeError);
    decompressor.on('error', noop);
  }

  #release(): void {
    this.#detach();
    this.#decompressor?.destroy();
  }
}

