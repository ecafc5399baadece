/**
 * One URL to one {@link FetchRow}: parse, wait for a host slot, request, follow redirects, retry
 * transient failures, read the title or the JSON, all under the URL's deadlines. Every failure
 * becomes the row's `error` and nothing is thrown; a URL cut short by the run's cancellation is an
 * `aborted` row (fetchAll's map then ends the run with `CancelledError` once every started URL has
 * its row).
 */
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import { TimeoutError, isCancellation, sleep } from '../core/index.js';
import { BodyTooLargeError, discardBody, readBody } from './body.js';
import { createDecoder, isHtmlType, parseContentType } from './charset.js';
import { PHASE_TEXT, classifyError, totalTimeoutError, type Phase } from './classify.js';
import { createRunContext, type RunContext } from './context.js';
import { describe, resolveOptions, type FetchOptions } from './options.js';
import { headersForHop, isSupportedProtocol, redirectTarget } from './redirect.js';
import { isTransientError, isTransientStatus, retryDelay } from './retry.js';
import { createTitleExtractor } from './title.js';
import type { FetchRow, FetchRowError } from './types.js';

/** Statuses that never carry a body (RFC 9110). */
const BODYLESS = new Set([204, 205, 304]);

/** A row before anything happened. */
function emptyRow(input: unknown): FetchRow {
  return {
    url: typeof input === 'string' ? input : String(input),
    ok: false,
    status: 0,
    title: null,
    finalUrl: null,
    redirects: 0,
    bytes: 0,
    timeMs: 0,
    attempts: 0,
    error: null,
  };
}

/**
 * The URL to fetch, or why there is none: `invalid_url` (not a string, empty, not absolute) or
 * `unsupported_scheme` (anything but http and https).
 *
 * @example
 * ```ts
 * parseTarget('ftp://example.test/'); // { code: 'unsupported_scheme', message: 'unsupported scheme "ftp:" ...' }
 * ```
 */
export function parseTarget(input: unknown): URL | FetchRowError {
  let text: string;
  if (input instanceof URL) text = input.href;
  else if (typeof input === 'string') text = input.trim();
  else return { code: 'invalid_url', message: `expected a URL string, got ${describe(input)}` };
  if (text === '') return { code: 'invalid_url', message: 'empty URL' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      code: 'invalid_url',
      message: `invalid URL ${JSON.stringify(text)}: expected an absolute http:// or https:// URL`,
    };
  }
  if (!isSupportedProtocol(url.protocol)) {
    return {
      code: 'unsupported_scheme',
      message: `unsupported scheme "${url.protocol}" in ${JSON.stringify(text)}: only http and https are fetched`,
    };
  }
  return url;
}

type HopOutcome = { kind: 'done' } | { kind: 'redirect'; to: URL } | { kind: 'retry'; delay: number };

const DONE: HopOutcome = { kind: 'done' };

/** The state of one URL while it is fetched. */
class UrlJob {
  readonly row: FetchRow;
  readonly #context: RunContext;
  /** The run's signal: its abort is a cancellation, not a timeout. */
  readonly #runSignal: AbortSignal | undefined;
  /** Aborts this URL's requests, sleeps and waits: on the run's cancellation or the total deadline. */
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #startedAt = -1;
  /** Set by whichever deadline fired (total, or a request's headers): the row's error. */
  #deadline: FetchRowError | undefined;
  #phase: Phase = 'queue';
  #retriesLeft: number;

  constructor(row: FetchRow, context: RunContext, runSignal: AbortSignal | undefined) {
    this.row = row;
    this.#context = context;
    this.#runSignal = runSignal;
    this.#retriesLeft = context.options.retries;
  }

  async run(url: URL): Promise<FetchRow> {
    const runSignal = this.#runSignal;
    const onAbort = (): void => this.#controller.abort(runSignal?.reason);
    runSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#follow(url);
    } catch (error) {
      const row = this.row;
      row.ok = false;
      if (this.#deadline) {
        row.error = this.#deadline;
      } else if (runSignal?.aborted || isCancellation(error)) {
        row.error = { code: 'aborted', message: `cancelled ${PHASE_TEXT[this.#phase]}` };
      } else {
        // Not expected (every request failure is handled where it happens), but a row it is.
        row.error = classifyError(error, this.#errorContext(url));
      }
    } finally {
      clearTimeout(this.#timer);
      runSignal?.removeEventListener('abort', onAbort);
      if (this.#startedAt >= 0) this.row.timeMs = Math.round(performance.now() - this.#startedAt);
    }
    return this.row;
  }

  /** Hops until a final answer: redirects followed, retries waited for. */
  async #follow(start: URL): Promise<void> {
    const { options } = this.#context;
    const visited = new Set<string>([start.href]);
    let url = start;
    let headers = options.headers;
    this.row.attempts = 1;
    for (;;) {
      const outcome = await this.#hop(url, headers);
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'retry') {
        this.#phase = 'retry';
        await sleep(outcome.delay, undefined, { signal: this.#controller.signal });
        this.row.attempts++;
        continue;
      }
      const to = outcome.to;
      if (visited.has(to.href)) {
        this.#finish({ code: 'too_many_redirects', message: `redirect loop: ${url.href} redirects back to ${to.href}` });
        return;
      }
      if (this.row.redirects >= options.maxRedirects) {
        this.#finish({
          code: 'too_many_redirects',
          message: `more than ${options.maxRedirects} redirects (maxRedirects); the last went to ${to.href}`,
        });
        return;
      }
      visited.add(to.href);
      this.row.redirects++;
      headers = headersForHop(headers, url, to);
      url = to;
    }
  }

  /** One request to `url`, holding a slot of its host from the request to the end of the body. */
  async #hop(url: URL, headers: Record<string, string>): Promise<HopOutcome> {
    const { options, hosts, dispatcher } = this.#context;
    const host = url.host;
    this.#phase = 'queue';
    await hosts.acquire(host, this.#controller.signal);
    try {
      this.#startClock();
      const row = this.row;
      row.status = 0;
      row.title = null;
      row.bytes = 0;
      delete row.json;
      this.#phase = 'headers';
      let response: Dispatcher.ResponseData;
      // Our own timer rather than undici's headersTimeout: undici's coarse timers fire up to a
      // second late, and the row says how long we waited. A timeout ends the URL (never retried),
      // so aborting the URL's controller is right.
      const headersTimer = this.#arm(options.headersTimeout, () => ({
        code: 'timeout',
        message: `timed out after ${options.headersTimeout} ms waiting for response headers`,
      }));
      try {
        response = await dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: 'GET',
          headers,
          signal: this.#controller.signal,
          headersTimeout: 0,
          // Silence between body chunks: undici's idle timer (0 turns it off).
          bodyTimeout: finiteOrZero(options.headersTimeout),
        });
      } catch (error) {
        return this.#failed(error, url);
      } finally {
        clearTimeout(headersTimer);
      }
      const { statusCode, headers: responseHeaders, body } = response;
      row.status = statusCode;
      row.finalUrl = url.href;

      const target = redirectTarget(statusCode, responseHeaders.location, url);
      if (target !== null) {
        this.#phase = 'redirect';
        await discardBody(body, responseHeaders['content-length'], this.#controller.signal);
        this.#throwIfAborted();
        if (target instanceof URL) return { kind: 'redirect', to: target };
        return this.#finish(target);
      }

      if (isTransientStatus(statusCode) && this.#retriesLeft > 0) {
        const delay = retryDelay({
          retry: options.retries - this.#retriesLeft + 1,
          retryAfter: responseHeaders['retry-after'],
          base: options.retryDelay,
          max: options.maxRetryDelay,
        });
        // A wait the deadline would cut short is no retry: keep this answer instead.
        if (this.#fits(delay)) {
          this.#retriesLeft--;
          this.#phase = 'retry';
          await discardBody(body, responseHeaders['content-length'], this.#controller.signal);
          this.#throwIfAborted();
          return { kind: 'retry', delay };
        }
      }

      this.#phase = 'body';
      try {
        await this.#readFinal(response);
      } catch (error) {
        return this.#failed(error, url);
      }
      return this.#finish(null, response.statusText);
    } finally {
      hosts.release(host);
    }
  }

  /** Reads the final response: its title (HTML), its JSON (JSON mode), or nothing at all. */
  async #readFinal(response: Dispatcher.ResponseData): Promise<void> {
    const { options } = this.#context;
    const { statusCode, headers, body } = response;
    const row = this.row;
    const { mime, charset } = parseContentType(headers['content-type']);
    const html = isHtmlType(mime);
    const common = {
      contentEncoding: headers['content-encoding'],
      contentLength: headers['content-length'],
      maxBytes: options.maxBytes,
      signal: this.#controller.signal,
    };
    if (BODYLESS.has(statusCode) || (!html && !options.json)) {
      // Nothing to look at: let the body go at once (drained if tiny, so the socket stays reusable).
      await discardBody(body, headers['content-length'], this.#controller.signal);
      return;
    }
    const extractor = html ? createTitleExtractor(charset) : undefined;
    if (!options.json) {
      const { complete } = await readBody(body, {
        ...common,
        onChunk: (chunk) => {
          row.bytes += chunk.length;
          return extractor!.write(chunk);
        },
      });
      if (complete) extractor!.end();
      row.title = extractor!.title;
      return;
    }
    const chunks: Buffer[] = [];
    await readBody(body, {
      ...common,
      onChunk: (chunk) => {
        row.bytes += chunk.length;
        chunks.push(chunk);
        extractor?.write(chunk);
        return false;
      },
    });
    if (extractor) {
      extractor.end();
      row.title = extractor.title;
    }
    // JSON is UTF-8 (RFC 8259); a declared charset is honoured for old APIs that send another.
    const decoder = createDecoder(charset);
    const text = decoder.write(Buffer.concat(chunks, row.bytes)) + decoder.end();
    try {
      if (text.trim() === '') throw new Error('the body is empty');
      row.json = JSON.parse(text);
    } catch (error) {
      // An error status is the better explanation of a non-JSON body (an HTML error page).
      if (!(options.httpErrors && statusCode >= 400)) {
        throw new BadJsonError(`response body is not valid JSON: ${(error as Error).message}`);
      }
    }
  }

  /** Sets the outcome: the given error, else the HTTP status verdict. */
  #finish(error: FetchRowError | null, statusText?: string): HopOutcome {
    const row = this.row;
    if (error === null && this.#context.options.httpErrors && row.status >= 400) {
      const text = statusText || STATUS_CODES[row.status] || 'error';
      error = { code: 'http', message: `HTTP ${row.status} ${text}` };
    }
    row.error = error;
    row.ok = error === null;
    return DONE;
  }

  /** A request or body failure: cancellations and deadlines go up; transient causes are retried. */
  #failed(error: unknown, url: URL): HopOutcome {
    this.#throwIfAborted(error);
    if (error instanceof BadJsonError) return this.#finish({ code: 'bad_body', message: error.message });
    if (error instanceof BodyTooLargeError) return this.#finish({ code: 'too_large', message: error.message });
    const classified = classifyError(error, this.#errorContext(url));
    if (isTransientError(classified.code) && this.#retriesLeft > 0) {
      const { options } = this.#context;
      const delay = retryDelay({ retry: options.retries - this.#retriesLeft + 1, base: options.retryDelay, max: options.maxRetryDelay });
      if (this.#fits(delay)) {
        this.#retriesLeft--;
        return { kind: 'retry', delay };
      }
    }
    return this.#finish(classified);
  }

  /** After an await: if this URL was cancelled or timed out meanwhile, unwind to run(). */
  #throwIfAborted(error?: unknown): void {
    if (this.#controller.signal.aborted) throw error ?? this.#controller.signal.reason;
  }

  #startClock(): void {
    if (this.#startedAt >= 0) return;
    this.#startedAt = performance.now();
    const total = this.#context.options.totalTimeout;
    this.#timer = this.#arm(total, () => totalTimeoutError(total, this.#phase));
  }

  /** A deadline: after `ms`, records the error `describe()` gives (then) and aborts the URL. */
  #arm(ms: number, describe: () => FetchRowError): NodeJS.Timeout | undefined {
    if (!Number.isFinite(ms)) return undefined;
    return setTimeout(() => {
      if (this.#controller.signal.aborted) return;
      this.#deadline = describe();
      this.#controller.abort(new TimeoutError(ms, this.#deadline.message));
    }, ms);
  }

  /** True when waiting `delay` ms still leaves time before the total deadline. */
  #fits(delay: number): boolean {
    const total = this.#context.options.totalTimeout;
    return !Number.isFinite(total) || performance.now() - this.#startedAt + delay < total;
  }

  #errorContext(url: URL): { url: URL; connectTimeout: number; headersTimeout: number } {
    const { connectTimeout, headersTimeout } = this.#context.options;
    return { url, connectTimeout, headersTimeout };
  }
}

/** A body that was asked for as JSON and is not JSON. */
class BadJsonError extends Error {
  override readonly name = 'BadJsonError';
}

function finiteOrZero(ms: number): number {
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * Fetches one URL with a run context of the caller's: the building block of fetchAll. Resolves to
 * the row and never rejects: when `signal` aborts, the row has error code `aborted`.
 *
 * @example
 * ```ts
 * const context = createRunContext(resolveOptions({}, 'mine', 'fetch'));
 * try { console.log(await fetchRow('http://example.test/', context, undefined)); } finally { await context.close(false); }
 * ```
 */
export async function fetchRow(
  input: unknown,
  context: RunContext,
  signal: AbortSignal | undefined,
): Promise<FetchRow> {
  const row = emptyRow(input);
  const target = parseTarget(input);
  if (!(target instanceof URL)) {
    row.error = target;
    return row;
  }
  if (signal?.aborted) {
    row.error = { code: 'aborted', message: 'cancelled before the request started' };
    return row;
  }
  return new UrlJob(row, context, signal).run(target);
}

/**
 * Fetches one URL and resolves to its {@link FetchRow}: never rejects for anything the URL or the
 * network does (bad options reject with TypeError/RangeError). Uses a keep-alive agent of its own,
 * closed before it resolves (pass `dispatcher` to reuse yours). When `signal` aborts, the row has
 * error code `aborted`.
 *
 * @example
 * ```ts
 * const row = await fetchOne('https://example.com/', { timeout: 5_000 });
 * if (row.ok) console.log(row.status, row.title);
 * else console.log(row.error.code, row.error.message);
 * ```
 */
export async function fetchOne(url: string | URL, options?: FetchOptions): Promise<FetchRow> {
  const resolved = resolveOptions(options, 'fetchOne()', 'fetch');
  const context = createRunContext(resolved);
  try {
    return await fetchRow(url, context, resolved.signal);
  } finally {
    await context.close(resolved.signal?.aborted ?? false);
  }
}
