/**
 * Reading a response body: decompression (gzip, deflate, br), a limit on decoded bytes (so a
 * decompression bomb stops at `maxBytes`), early stop, and always leaving the body consumed or
 * destroyed, never hanging.
 *
 * The reader is event-driven rather than `for await`: a consumer that has seen enough can stop in
 * the middle of a chunk, and a small remainder can be drained (keeping the keep-alive connection
 * reusable) instead of destroyed.
 */
import type { Readable, Transform } from 'node:stream';
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
 * await readBody(body, options).catch((error) => error instanceof BodyDecodeError); // true for a corrupt gzip body
 * ```
 */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What {@link readBody} needs to know about the response. */
export interface ReadBodyOptions {
  /** The Content-Encoding header. */
  contentEncoding?: string | string[] | undefined;
  /** The Content-Length header (raw bytes on the wire), when sent. */
  contentLength?: string | string[] | undefined;
  /** The most decoded bytes handed to `onChunk`; needing more rejects with {@link BodyTooLargeError}. */
  maxBytes: number;
  /** Gets each decoded chunk in order; returns true when it has seen enough (stop reading). */
  onChunk: (chunk: Buffer) => boolean;
  /** Bounds the drain of a small remainder after an early stop. */
  signal?: AbortSignal | undefined;
}

/** How reading ended. */
export interface BodyOutcome {
  /** Decoded bytes handed to `onChunk`. */
  bytes: number;
  /** True when the body was read to its end; false after an early stop. */
  complete: boolean;
}

type Coding = 'identity' | 'gzip' | 'deflate' | 'br';

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

function lengthOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

const noop = (): void => {};

/**
 * Lets go of a body we do not need, never hanging on it, and keeping the keep-alive connection
 * reusable when that is cheap (a TLS handshake costs more than a few kilobytes):
 * - known length up to {@link DRAIN_LIMIT}: drained, awaited (bounded by `signal`);
 * - unknown length: drained in the background for at most {@link DRAIN_GRACE_MS} and up to
 *   DRAIN_LIMIT bytes, then cut; resolves at once;
 * - anything bigger: destroyed at once.
 * Never rejects.
 *
 * @example
 * ```ts
 * const response = await request(url, { dispatcher });
 * if (response.statusCode >= 300) await discardBody(response.body, response.headers['content-length']);
 * ```
 */
export async function discardBody(
  body: Readable,
  contentLength: string | string[] | undefined,
  signal?: AbortSignal,
): Promise<void> {
  body.on('error', noop); // a late error after we let go must not become an uncaught exception
  if (body.destroyed || body.readableEnded) return;
  const length = lengthOf(contentLength);
  const dump = (body as Readable & { dump?: (options: { limit: number; signal?: AbortSignal }) => Promise<unknown> }).dump;
  if (typeof dump !== 'function' || signal?.aborted || (length !== undefined && length > DRAIN_LIMIT)) {
    body.destroy();
    return;
  }
  if (length !== undefined) {
    try {
      await dump.call(body, signal ? { limit: DRAIN_LIMIT, signal } : { limit: DRAIN_LIMIT });
    } catch {
      body.destroy();
    }
    return;
  }
  // The timer is cleared however the drain ends (the run's agent waits for the drain on close, or
  // destroys it on cancel), so nothing outlives the run.
  const timer = setTimeout(() => body.destroy(), DRAIN_GRACE_MS);
  dump.call(body, { limit: DRAIN_LIMIT }).then(
    () => clearTimeout(timer),
    () => {
      clearTimeout(timer);
      body.destroy();
    },
  );
}

/**
 * Reads `body`, decompressing per Content-Encoding, handing decoded chunks to `onChunk` until it
 * returns true (early stop), the body ends, or `maxBytes` decoded bytes were handed over and more
 * are needed (rejects with {@link BodyTooLargeError}). Rejects with {@link BodyDecodeError} on
 * corrupt compressed data, and with the stream's own error (reset, timeout, abort) otherwise. When
 * the promise settles the body is fully read, being drained (small remainder), or destroyed.
 *
 * @example
 * ```ts
 * const chunks: Buffer[] = [];
 * const { bytes } = await readBody(response.body, {
 *   contentEncoding: response.headers['content-encoding'],
 *   maxBytes: 1024 * 1024,
 *   onChunk: (chunk) => (chunks.push(chunk), false),
 * });
 * ```
 */
export function readBody(body: Readable, options: ReadBodyOptions): Promise<BodyOutcome> {
  const { maxBytes, onChunk, signal } = options;
  let coding: Coding;
  try {
    coding = codingOf(options.contentEncoding);
  } catch (error) {
    body.on('error', noop);
    body.destroy();
    return Promise.reject(error);
  }

  return new Promise<BodyOutcome>((resolve, reject) => {
    let bytes = 0;
    let settled = false;
    let decompressor: Transform | undefined;

    function detach(): void {
      body.off('data', onRaw);
      body.off('end', onRawEnd);
      body.off('error', onRawError);
      body.on('error', noop);
      if (decompressor) {
        decompressor.off('data', onDecoded);
        decompressor.off('end', onDecodedEnd);
        decompressor.off('error', onDecodeError);
        decompressor.on('error', noop);
      }
    }

    function succeed(complete: boolean): void {
      if (settled) return;
      settled = true;
      detach();
      if (complete) return resolve({ bytes, complete });
      // Early stop: the rest (compressed or not) is let go without decoding it.
      decompressor?.destroy();
      discardBody(body, options.contentLength, signal).then(() => resolve({ bytes, complete }));
    }

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      detach();
      decompressor?.destroy();
      body.destroy();
      reject(error);
    }

    function onDecoded(chunk: Buffer): void {
      if (settled) return;
      const room = maxBytes - bytes;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      bytes += part.length;
      let enough: boolean;
      try {
        enough = onChunk(part);
      } catch (error) {
        return fail(error);
      }
      if (enough) return succeed(false);
      if (part !== chunk) fail(new BodyTooLargeError(maxBytes));
    }

    function onDecodedEnd(): void {
      succeed(true);
    }

    function onDecodeError(error: Error): void {
      const what = coding === 'br' ? 'brotli' : coding;
      fail(new BodyDecodeError(`could not decode the ${what} body: ${error.message}`, { cause: error }));
    }

    function onRaw(chunk: Buffer): void {
      if (settled) return;
      if (coding === 'identity') return onDecoded(chunk);
      if (!decompressor) {
        decompressor = createDecompressor(coding, chunk);
        decompressor.on('data', onDecoded);
        decompressor.on('end', onDecodedEnd);
        decompressor.on('error', onDecodeError);
      }
      // Backpressure: a bomb inflates fast, so let zlib's buffer drain before feeding it more.
      if (!decompressor.write(chunk)) {
        body.pause();
        decompressor.once('drain', () => {
          if (!settled) body.resume();
        });
      }
    }

    function onRawEnd(): void {
      if (settled) return;
      if (decompressor) decompressor.end();
      else succeed(true);
    }

    function onRawError(error: Error): void {
      fail(error);
    }

    body.on('data', onRaw);
    body.on('end', onRawEnd);
    body.on('error', onRawError);
  });
}
