/**
 * One HTTP request and its response, through undici's `dispatch()` with a handler of our own rather
 * than `request()`. `request()` wraps every response in a Readable stream, an AsyncResource, a
 * parsed header object and an abort-signal listener; at thousands of small pages a second that
 * bookkeeping costs more than the HTTP itself. Here a small page is read synchronously inside
 * undici's parser callbacks, in the chunk it arrived in, and only the headers we use are decoded.
 *
 * The handler speaks undici's original handler interface (onConnect, onHeaders, onData,
 * onComplete, onError): the one undici's own `request()` uses, which every dispatcher accepts
 * (Agent, Pool, ProxyAgent, MockAgent and MockPool alike) and which hands over the raw headers.
 */
import type { Dispatcher } from 'undici';
import { BodyDecoder, DRAIN_GRACE_MS, DRAIN_LIMIT, type BodyDecoderEvents, type Coding } from './body.js';
import { MalformedResponseError, checkedLength, readHead, type ResponseHead } from './response-head.js';

export { MalformedResponseError, readHead, type HeaderValue, type ResponseHead } from './response-head.js';

/** How to read a response body. */
export interface BodyRead {
  /** The Content-Encoding to undo. */
  coding: Coding;
  /** The most decoded bytes handed over; needing more fails the exchange with BodyTooLargeError. */
  maxBytes: number;
}

/** The side of an {@link Exchange} that decides what to do with the response: the URL's job. */
export interface ExchangeOwner {
  /**
   * The final head arrived (1xx answers are skipped). Returns how to read the body, or null to let
   * it go. Runs inside undici's callback: no await. May throw: the exchange then fails with that.
   * `raw` is undici's raw header list, for owners that want every header.
   */
  onHead(head: ResponseHead, raw: readonly (Buffer | string)[]): BodyRead | null;
  /** The next decoded body chunk; returns true once it has seen enough (the rest is let go). */
  onBodyChunk(chunk: Buffer): boolean;
  /**
   * Asked after each chunk: true when this event-loop turn has done enough body work; the body then
   * waits for the next turn (undici holds the rest), so other URLs and timers get their turn.
   */
  turnSpent?(): boolean;
}

/**
 * Why we abort a request whose remaining body we do not want. Made once: undici hands it back to
 * our own onError, which ignores it, so a stack trace per abort would be wasted.
 */
const LET_GO = new Error('gather: the rest of the response body is not needed');

/**
 * One request in flight, as an undici dispatch handler. `done` resolves once the body is dealt with
 * (true when it was read to its end, false after an early stop or when it was let go) and rejects
 * with the failure (network, timeout from undici, too large, undecodable, `abort()`).
 *
 * A body that is let go (not wanted, or the owner had enough) keeps the connection reusable when
 * that is cheap: a known length up to DRAIN_LIMIT is read
 * to its end before `done` resolves; an unknown length is read in the background for at most
 * DRAIN_GRACE_MS and DRAIN_LIMIT bytes; anything bigger is cut (the connection is closed).
 *
 * @example
 * ```ts
 * const exchange = new Exchange(owner);
 * dispatcher.dispatch({ origin: url.origin, path: url.pathname + url.search, method: 'GET', headers }, exchange);
 * const complete = await exchange.done;
 * ```
 */
export class Exchange implements Dispatcher.DispatchHandler, BodyDecoderEvents {
  readonly done: Promise<boolean>;
  readonly #owner: ExchangeOwner;
  #resolve!: (complete: boolean) => void;
  #reject!: (error: unknown) => void;
  /** `done` has settled; a background drain may still be running. */
  #settled = false;
  /** undici is finished with the request (completed, failed or aborted): nothing more will come. */
  #finished = false;
  /** undici's abort for this request, once it is on a connection. */
  #abortRequest: ((reason?: Error) => void) | undefined;
  /** An abort asked for before the request reached a connection: applied when it does. */
  #pendingAbort: unknown;
  #resumeSource: (() => void) | undefined;
  #paused = false;
  #decoder: BodyDecoder | undefined;
  /** Letting the rest of the body go: `done` resolves with this when it ends. */
  #drainingWith: boolean | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #length: number | undefined;
  #rawBytes = 0;

  constructor(owner: ExchangeOwner) {
    this.#owner = owner;
    this.done = new Promise<boolean>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Cancels the request: `done` rejects with `reason` at once and the connection is closed. */
  abort(reason: unknown): void {
    if (this.#settled) return;
    this.#fail(reason);
    if (this.#finished) return;
    if (this.#abortRequest) this.#cut(reason);
    else this.#pendingAbort = reason ?? LET_GO;
  }

  // undici's handler interface ------------------------------------------------------------------

  onConnect(abort: (reason?: Error) => void): void {
    if (this.#pendingAbort !== undefined) {
      this.#finished = true;
      abort(this.#pendingAbort as Error);
      return;
    }
    this.#abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200 || this.#settled) return true; // 1xx: the real answer follows
    this.#resumeSource = resume;
    const head = readHead(statusCode, statusText, rawHeaders);
    let plan: BodyRead | null;
    try {
      this.#length = checkedLength(head.contentLength);
      plan = this.#owner.onHead(head, rawHeaders);
    } catch (error) {
      this.#fail(error);
      this.#cut(LET_GO);
      return false;
    }
    if (plan === null) this.#letGo(false);
    else this.#decoder = new BodyDecoder(plan.coding, plan.maxBytes, this);
    return !this.#paused;
  }

  onData(chunk: Buffer): boolean {
    if (this.#finished) return true;
    this.#rawBytes += chunk.length;
    const decoder = this.#decoder;
    if (decoder !== undefined && !decoder.settled) {
      decoder.write(chunk);
      return !this.#paused;
    }
    // Letting go: read on only while the drain is still worth it.
    if (this.#rawBytes > DRAIN_LIMIT) this.#cut(LET_GO);
    return true;
  }

  onComplete(): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#drainTimer);
    const decoder = this.#decoder;
    if (decoder !== undefined && !decoder.settled) decoder.end();
    else if (this.#drainingWith !== undefined) this.#succeed(this.#drainingWith);
  }

  onError(error: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    // undici reports llhttp's refusal of a head whose length is declared twice (two different
    // Content-Lengths, or Content-Length with Transfer-Encoding) as a body length mismatch.
    if (this.#resumeSource === undefined && (error as { code?: unknown }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      error = new MalformedResponseError('its length is declared twice (Content-Length and Transfer-Encoding, or two Content-Lengths)');
    }
    clearTimeout(this.#drainTimer);
    const decoder = this.#decoder;
    if (decoder !== undefined && !decoder.settled) decoder.fail(error);
    else if (this.#drainingWith !== undefined) this.#succeed(this.#drainingWith); // letting go never fails
    else this.#fail(error);
  }

  // The body decoder's events ---------------------------------------------------------------------

  /** @internal A decoded chunk, passed to the owner. */
  onChunk(chunk: Buffer): boolean {
    const enough = this.#owner.onBodyChunk(chunk);
    if (!enough && !this.#paused && this.#owner.turnSpent?.()) {
      this.#paused = true;
      setImmediate(this.#resumeNextTurn);
    }
    return enough;
  }

  readonly #resumeNextTurn = (): void => this.resume();

  /** @internal The decoder is done: read to the end, or the owner had enough. */
  onDone(complete: boolean): void {
    if (complete) this.#succeed(true);
    else this.#letGo(false);
  }

  /** @internal The body failed: too large, undecodable, or the connection's own error. */
  onFail(error: unknown): void {
    this.#fail(error);
    this.#cut(LET_GO);
  }

  /** @internal The decompressor is full. */
  pause(): void {
    this.#paused = true;
  }

  /** @internal The decompressor has room again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (!this.#finished) this.#resumeSource?.();
  }

  // ------------------------------------------------------------------------------------------------

  /** The rest of the body is not needed; `done` resolves with `complete` when it is dealt with. */
  #letGo(complete: boolean): void {
    if (this.#finished) return this.#succeed(complete);
    const length = this.#length;
    if (length !== undefined && length > DRAIN_LIMIT) {
      this.#cut(LET_GO);
      return this.#succeed(complete);
    }
    this.#drainingWith = complete;
    this.resume(); // the decoder may have paused the source
    if (length === undefined) {
      // Unknown length: do not wait for it; give it a moment in the background, then cut.
      this.#succeed(complete);
      this.#drainTimer = setTimeout(() => this.#cut(LET_GO), DRAIN_GRACE_MS);
    }
  }

  /** Closes the connection under the request, unless undici is already done with it. */
  #cut(reason: unknown): void {
    clearTimeout(this.#drainTimer);
    this.#decoder?.stop();
    if (this.#finished) return;
    this.#finished = true;
    const abort = this.#abortRequest;
    if (abort === undefined) return;
    // undici destroys the socket with an error of its own that nobody ever sees (the request's
    // error is `reason`, which we ignore): no stack trace for it, which costs more than the close.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      abort(reason as Error);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  #succeed(complete: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(complete);
  }

  #fail(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#decoder?.stop();
    this.#reject(error);
  }
}
