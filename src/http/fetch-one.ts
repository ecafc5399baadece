/**
 * One URL to one {@link FetchRow}: parse, wait for a host slot, request, follow redirects, retry
 * transient failures, read the title or the JSON, all under the URL's deadlines. Every failure
 * becomes the row's `error` and nothing is thrown; a URL cut short by the run's cancellation is an
 * `aborted` row (fetchAll's map then ends the run with `CancelledError` once every started URL has
 * its row).
 */
import { STATUS_CODES } from 'node:http';
// Core modules one by one, not its index: the index loads gather, tasks and groups we do not use.
import { TimeoutError, isCancellation } from '../core/errors.js';
import { sleep } from '../core/sleep.js';
import { BodyTooLargeError, codingOf } from './body.js';
import { createDecoder, isHtmlType, parseContentType } from './charset.js';
import { PHASE_TEXT, classifyError, totalTimeoutError, type Phase } from './classify.js';
import { createRunContext, type Abortable, type RunContext } from './context.js';
import { Exchange, type BodyRead, type ExchangeOwner, type ResponseHead } from './exchange.js';
import { describe, resolveOptions, type FetchOptions } from './options.js';
import { headersForHop, isSupportedProtocol, redirectTarget } from './redirect.js';
import { isTransientError, isTransientStatus, retryDelay } from './retry.js';
import { releaseTitleExtractor, takeTitleExtractor, type TitleExtractor } from './title.js';
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

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

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
  // The URL parser silently drops leading control characters and escapes inner ones: a line with
  // a NUL or an escape in it is garbage, not an address to fetch.
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { code: 'invalid_url', message: `invalid URL ${JSON.stringify(text)}: it contains the control character U+${code}` };
  }
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

/** What the head of a response decided, acted on once its body is dealt with. */
type Verdict = HopOutcome | FetchRowError | 'final';

/** The state of one URL while it is fetched; the decisions on each response are taken as its head arrives. */
class UrlJob implements ExchangeOwner, Abortable {
  readonly row: FetchRow;
  readonly #context: RunContext;
  /** The run's signal: its abort is a cancellation, not a timeout. */
  readonly #runSignal: AbortSignal | undefined;
  /** Set once the URL is cancelled or out of time; the reason is thrown at the next await. */
  #aborted = false;
  #abortReason: unknown;
  /** For the waits that take a signal (a perHost slot, a retry's sleep): made only when one is needed. */
  #controller: AbortController | undefined;
  /** The request in flight. */
  #exchange: Exchange | undefined;
  /**
   * One timer per URL serves both deadlines (total, and headers per request): it is armed for the
   * nearest and re-armed when it fires early for a deadline that no longer applies. `#timerAt` is
   * the deadline it was armed for: whatever is due by then fires, exactly as a timer of its own would.
   */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #totalAt = Infinity;
  #headersAt = Infinity;
  #startedAt = -1;
  /** Set by whichever deadline fired (total, or a request's headers): the row's error. */
  #deadline: FetchRowError | undefined;
  #phase: Phase = 'queue';
  #retriesLeft: number;
  // The response being read: where it came from, what its head decided, what reads its body.
  #url: URL | undefined;
  #statusText = '';
  #verdict: Verdict = 'final';
  #extractor: TitleExtractor | undefined;
  #jsonChunks: Buffer[] | undefined;
  #jsonCharset: string | undefined;

  /** The host whose per-host permit the scheduler took for this URL: hops there need no other. */
  readonly #admittedHost: string | undefined;

  constructor(row: FetchRow, context: RunContext, runSignal: AbortSignal | undefined, admittedHost?: string) {
    this.row = row;
    this.#admittedHost = admittedHost;
    this.#context = context;
    this.#runSignal = runSignal;
    this.#retriesLeft = context.options.retries;
  }

  async run(url: URL): Promise<FetchRow> {
    const runSignal = this.#runSignal;
    this.#context.watch(runSignal, this);
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
      this.#context.unwatch(runSignal, this);
      this.#dropReaders();
      if (this.#startedAt >= 0) this.row.timeMs = Math.round(performance.now() - this.#startedAt);
    }
    return this.row;
  }

  /** Cancels the URL (the run's cancellation, or a deadline): whatever it waits for stops now. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.#exchange?.abort(reason);
  }

  /** Hops until a final answer: redirects followed, retries waited for. */
  async #follow(start: URL): Promise<void> {
    const { options } = this.#context;
    let visited: Set<string> | undefined; // made at the first redirect: most URLs have none
    let url = start;
    let headers = options.headers;
    this.row.attempts = 1;
    for (;;) {
      const outcome = await this.#hop(url, headers);
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'retry') {
        this.#phase = 'retry';
        await sleep(outcome.delay, undefined, { signal: this.#signal() });
        this.row.attempts++;
        continue;
      }
      const to = outcome.to;
      visited ??= new Set<string>([start.href]);
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
    // The scheduler took the permit of the URL's own host; a hop to another host waits for one here.
    const gated = hosts.limited && host !== this.#admittedHost;
    if (gated) await hosts.acquire(host, this.#signal());
    try {
      this.#armDeadlines();
      const row = this.row;
      row.status = 0;
      row.title = null;
      row.bytes = 0;
      if (row.json !== undefined) delete row.json;
      this.#phase = 'headers';
      this.#url = url;
      this.#verdict = 'final';
      const exchange = new Exchange(this);
      this.#exchange = exchange;
      let complete: boolean;
      try {
        dispatcher.dispatch(
          {
            origin: url.origin,
            path: url.pathname + url.search,
            method: 'GET',
            headers,
            headersTimeout: 0,
            // Silence between body chunks: undici's idle timer (0 turns it off).
            bodyTimeout: finiteOrZero(options.headersTimeout),
          },
          exchange,
        );
        complete = await exchange.done;
      } catch (error) {
        this.#headersAt = Infinity;
        this.#dropReaders();
        return this.#failed(error, url);
      } finally {
        this.#exchange = undefined;
      }
      return this.#conclude(complete);
    } finally {
      if (gated) hosts.release(host);
    }
  }

  /**
   * The head of a response (inside undici's callback): its status and where it leads (a redirect,
   * a retry, the final answer), and how to read its body. See {@link ExchangeOwner.onHead}.
   */
  onHead(head: ResponseHead): BodyRead | null {
    this.#headersAt = Infinity; // the headers deadline is met
    const { options } = this.#context;
    const url = this.#url!;
    const row = this.row;
    const status = head.status;
    row.status = status;
    row.finalUrl = url.href;
    this.#statusText = head.statusText;

    const target = redirectTarget(status, head.location, url);
    if (target !== null) {
      this.#phase = 'redirect';
      this.#verdict = target instanceof URL ? { kind: 'redirect', to: target } : target;
      return null;
    }

    if (isTransientStatus(status) && this.#retriesLeft > 0) {
      const delay = retryDelay({
        retry: options.retries - this.#retriesLeft + 1,
        retryAfter: head.retryAfter,
        base: options.retryDelay,
        max: options.maxRetryDelay,
      });
      // A wait the deadline would cut short is no retry: keep this answer instead.
      if (this.#fits(delay)) {
        this.#retriesLeft--;
        this.#phase = 'retry';
        this.#verdict = { kind: 'retry', delay };
        return null;
      }
    }

    this.#phase = 'body';
    return this.#planFinalBody(head);
  }

  /** What to read of the final response: its title (HTML), its JSON (JSON mode), or nothing at all. */
  #planFinalBody(head: ResponseHead): BodyRead | null {
    const { options } = this.#context;
    const { mime, charset } = parseContentType(head.contentType);
    const html = isHtmlType(mime);
    // Nothing to look at: the body is let go at once (drained if tiny, so the socket stays reusable).
    if (BODYLESS.has(head.status) || (!html && !options.json)) return null;
    const coding = codingOf(head.contentEncoding); // throws for a coding we cannot undo: bad_body
    if (html) this.#extractor = takeTitleExtractor(charset);
    if (options.json) {
      this.#jsonChunks = [];
      this.#jsonCharset = charset;
    }
    return { coding, maxBytes: options.maxBytes };
  }

  /** A decoded chunk of the final body. See {@link ExchangeOwner.onBodyChunk}. */
  onBodyChunk(chunk: Buffer): boolean {
    this.row.bytes += chunk.length;
    const chunks = this.#jsonChunks;
    if (chunks === undefined) return this.#extractor!.write(chunk);
    chunks.push(chunk);
    this.#extractor?.write(chunk);
    return false;
  }

  /** The body is dealt with: act on what the head decided. */
  #conclude(complete: boolean): HopOutcome {
    const verdict = this.#verdict;
    if (verdict !== 'final') {
      this.#throwIfAborted();
      return 'kind' in verdict ? verdict : this.#finish(verdict);
    }
    const extractor = this.#extractor;
    if (extractor !== undefined) {
      if (complete || this.#jsonChunks !== undefined) extractor.end();
      this.row.title = extractor.title;
    }
    if (this.#jsonChunks !== undefined) {
      try {
        this.#parseJson(this.#jsonChunks);
      } catch (error) {
        this.#dropReaders();
        return this.#failed(error, this.#url!);
      }
    }
    this.#dropReaders();
    return this.#finish(null, this.#statusText);
  }

  #parseJson(chunks: Buffer[]): void {
    const row = this.row;
    // JSON is UTF-8 (RFC 8259); a declared charset is honoured for old APIs that send another.
    const decoder = createDecoder(this.#jsonCharset);
    const text = decoder.write(Buffer.concat(chunks, row.bytes)) + decoder.end();
    try {
      if (text.trim() === '') throw new Error('the body is empty');
      row.json = JSON.parse(text);
    } catch (error) {
      // An error status is the better explanation of a non-JSON body (an HTML error page).
      if (!(this.#context.options.httpErrors && row.status >= 400)) {
        throw new BadJsonError(`response body is not valid JSON: ${(error as Error).message}`);
      }
    }
  }

  /** Lets go of the body readers of the current response (the extractor goes back to its pool). */
  #dropReaders(): void {
    if (this.#extractor !== undefined) releaseTitleExtractor(this.#extractor);
    this.#extractor = undefined;
    this.#jsonChunks = undefined;
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
    if (this.#aborted) throw error ?? this.#abortReason;
  }

  /** A signal for waits that need one; aborted with the URL. */
  #signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /**
   * The deadlines of a request made now: the URL's total (its clock starts with its first request)
   * and this request's headers. One timer serves both.
   */
  #armDeadlines(): void {
    const { totalTimeout, headersTimeout } = this.#context.options;
    const now = performance.now();
    if (this.#startedAt < 0) {
      this.#startedAt = now;
      if (Number.isFinite(totalTimeout)) this.#totalAt = now + totalTimeout;
    }
    // Our own deadline rather than undici's headersTimeout: undici's coarse timers fire up to a
    // second late, and the row says how long we waited. A timeout ends the URL (never retried).
    this.#headersAt = Number.isFinite(headersTimeout) ? now + headersTimeout : Infinity;
    this.#armTimer(now);
  }

  /** Makes sure the timer fires by the nearest deadline. */
  #armTimer(now: number): void {
    const at = Math.min(this.#totalAt, this.#headersAt);
    if (at >= this.#timerAt) return; // armed for that already, or for something sooner
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // Whole milliseconds: node keeps one timer list per duration, and the durations of fresh
    // deadlines are then the options' own (one shared list) rather than a new fraction each time.
    this.#timer = setTimeout(onDeadline, Math.max(1, Math.round(at - now)), this);
  }

  /** The timer fired: whatever was due by the deadline it was armed for times the URL out. */
  expire(): void {
    const due = this.#timerAt;
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#aborted) return;
    if (this.#totalAt <= due) {
      this.#timeout(this.#context.options.totalTimeout, totalTimeoutError(this.#context.options.totalTimeout, this.#phase));
    } else if (this.#headersAt <= due) {
      const ms = this.#context.options.headersTimeout;
      this.#timeout(ms, { code: 'timeout', message: `timed out after ${ms} ms waiting for response headers` });
    } else {
      this.#armTimer(performance.now()); // armed for a deadline that no longer applies: wait for the next one
    }
  }

  /** Records the deadline's error and aborts the URL. */
  #timeout(ms: number, error: FetchRowError): void {
    this.#deadline = error;
    this.abort(new TimeoutError(ms, error.message));
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

/** The one deadline callback of every URL (the job comes as the timer's argument: no closure per URL). */
function onDeadline(job: UrlJob): void {
  job.expire();
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
 * the row and never rejects: when `signal` aborts, the row has error code `aborted`. `admittedHost`:
 * the host whose per-host permit the caller already holds for this URL (the scheduler's).
 *
 * @example
 * ```ts
 * const context = createRunContext(resolveOptions({}, 'mine', 'fetch'));
 * try { console.log(await fetchRow('http://example.test/', context, undefined)); } finally { await context.close(false); }
 * ```
 */
export function fetchRow(input: unknown, context: RunContext, signal: AbortSignal | undefined, admittedHost?: string): Promise<FetchRow> {
  const row = emptyRow(input);
  const target = parseTarget(input);
  if (!(target instanceof URL)) {
    row.error = target;
    return Promise.resolve(row);
  }
  if (signal?.aborted) {
    row.error = { code: 'aborted', message: 'cancelled before the request started' };
    return Promise.resolve(row);
  }
  // Not an async function: the job's own promise is handed on as is, without another layer.
  return new UrlJob(row, context, signal, admittedHost).run(target);
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
