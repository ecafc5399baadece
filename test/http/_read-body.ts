// The body tests drive BodyDecoder through a Readable, the way a stream-based client would; the
// product feeds it from undici's dispatch handler (src/http/exchange.ts) instead.
import type { Readable } from 'node:stream';
import { BodyDecoder, DRAIN_GRACE_MS, DRAIN_LIMIT, codingOf, lengthOf, type Coding } from '../../src/http/body.js';

const noop = (): void => {};

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
async function discardBody(
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
  let coding: Coding;
  try {
    coding = codingOf(options.contentEncoding);
  } catch (error) {
    body.on('error', noop);
    body.destroy();
    return Promise.reject(error);
  }

  return new Promise<BodyOutcome>((resolve, reject) => {
    const detach = (): void => {
      body.off('data', onRaw);
      body.off('end', onRawEnd);
      body.off('error', onRawError);
      body.on('error', noop);
    };
    const decoder = new BodyDecoder(coding, options.maxBytes, {
      onChunk: options.onChunk,
      onDone(complete) {
        detach();
        const outcome = { bytes: decoder.bytes, complete };
        if (complete) return resolve(outcome);
        discardBody(body, options.contentLength, options.signal).then(() => resolve(outcome));
      },
      onFail(error) {
        detach();
        body.destroy();
        reject(error);
      },
      pause: () => body.pause(),
      resume: () => body.resume(),
    });
    const onRaw = (chunk: Buffer): void => decoder.write(chunk);
    const onRawEnd = (): void => decoder.end();
    const onRawError = (error: Error): void => decoder.fail(error);
    body.on('data', onRaw);
    body.on('end', onRawEnd);
    body.on('error', onRawError);
  });
}
