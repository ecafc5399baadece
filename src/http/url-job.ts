/**
 * The hop loop of one URL: wait for a host slot, request, judge the head (redirect, retry, final),
 * read the final body, and repeat until the row is decided. The decisions are the steps of
 * steps.ts; the deadlines are the URL's {@link DeadlineClock}; the body readers are readers.ts.
 * Every failure becomes the row's `error` and nothing is thrown.
 */
import { STATUS_CODES } from 'node:http';
// Core modules one by one, not its index: the index loads gather, tasks and groups we do not use.
import { TimeoutError, isCancellation } from '../core/errors.js';
import { sleep } from '../core/sleep.js';
import { BodyTooLargeError, codingOf } from './body.js';
import { PHASE_TEXT, classifyError, type Phase } from './classify.js';
import type { Abortable, RunContext } from './context.js';
import { DeadlineClock, type DeadlineOwner } from './deadline.js';
import { Exchange, type BodyRead, type ExchangeOwner, type ResponseHead } from './exchange.js';
import type { ResolvedOptions } from './options.js';
import { BadJsonError, BodyReader, parseTurnSpent } from './readers.js';
import { checkRedirect, downgradeError, headersForHop, isDowngrade } from './redirect.js';
import { judgeFailure, judgeHead, type HopState, type Verdict } from './steps.js';
import { afterRedirect, dispatchOptions, firstHop, type HopRequest } from './request-body.js';
import { proxyFailure } from './proxy.js';
import { beforeRequest, forgetResponse, recordResponse } from './run-extras.js';
import type { FetchRow, FetchRowError } from './types.js';

/** What the head decided, acted on once its body is dealt with; undefined: the final answer. */
type Pending = Verdict | undefined;

/** The state of one URL while it is fetched. */
export class UrlJob implements ExchangeOwner, Abortable, DeadlineOwner, HopState {
  readonly row: FetchRow;
  readonly options: ResolvedOptions;
  readonly #context: RunContext;
  /** The run's signal: its abort is a cancellation, not a timeout. */
  readonly #runSignal: AbortSignal | undefined;
  readonly #clock: DeadlineClock;
  /** Set once the URL is cancelled or out of time; the reason is thrown at the next await. */
  #aborted = false;
  #abortReason: unknown;
  /** For the waits that take a signal (a perHost slot, a retry's sleep): made only when one is needed. */
  #controller: AbortController | undefined;
  /** The request in flight. */
  #exchange: Exchange | undefined;
  /** Set by whichever deadline fired (total, or a request's headers): the row's error. */
  #deadline: FetchRowError | undefined;
  phase: Phase = 'queue';
  retriesLeft: number;
  // The response being read: where it came from, what its head decided, what reads its body.
  url!: URL;
  #statusText = '';
  #pending: Pending;
  #reader: BodyReader | null = null;
  /** Method and body of the next request (a redirect may change them). */
  #request: HopRequest;

  /** The host whose start permits (per-host slot, rate) the scheduler took for this URL. */
  readonly #admittedHost: string | undefined;
  /** The scheduler's rate permit is for the first request only: retries and redirects take their own. */
  #admittedRequest: boolean;

  constructor(row: FetchRow, context: RunContext, runSignal: AbortSignal | undefined, admittedHost?: string) {
    this.row = row;
    this.#admittedHost = admittedHost;
    this.#admittedRequest = admittedHost !== undefined;
    this.options = context.options;
    this.#context = context;
    this.#runSignal = runSignal;
    this.retriesLeft = context.options.retries;
    this.#request = firstHop(context.options.request);
    this.#clock = new DeadlineClock(this.options.totalTimeout, this.options.headersTimeout, this);
  }

  /** Fetches `url` (its first request with `headers`) until the row is decided; never rejects. */
  async run(url: URL, headers: Record<string, string>): Promise<FetchRow> {
    const runSignal = this.#runSignal;
    this.#context.watch(runSignal, this);
    try {
      await this.#follow(url, headers);
    } catch (error) {
      const row = this.row;
      row.ok = false;
      if (this.#deadline) row.error = this.#deadline;
      else if (runSignal?.aborted || isCancellation(error)) row.error = { code: 'aborted', message: `cancelled ${PHASE_TEXT[this.phase]}` };
      // Not expected (every request failure is handled where it happens), but a row it is.
      else row.error = classifyError(error, this.#errorContext(url));
    } finally {
      const elapsed = this.#clock.elapsed();
      this.#clock.stop();
      this.#context.unwatch(runSignal, this);
      this.#dropReader();
      if (elapsed >= 0) this.row.timeMs = Math.round(elapsed);
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

  /** A deadline passed (see {@link DeadlineOwner}): the row's error, and the URL stops. */
  expired(error: FetchRowError, ms: number): void {
    if (this.#aborted) return;
    this.#deadline = error;
    this.abort(new TimeoutError(ms, error.message));
  }

  /** See {@link HopState.fits}. */
  fits(delay: number): boolean {
    return this.#clock.fits(delay);
  }

  /** Hops until a final answer: redirects followed, retries waited for. */
  async #follow(start: URL, firstHeaders: Record<string, string>): Promise<void> {
    let visited: Set<string> | undefined; // made at the first redirect: most URLs have none
    let url = start;
    let headers = firstHeaders;
    this.row.attempts = 1;
    for (;;) {
      const verdict = await this.#hop(url, headers);
      if (verdict === undefined) return;
      if (verdict.kind === 'error') return this.#finish(verdict.error);
      if (verdict.kind === 'retry') {
        this.retriesLeft--;
        this.phase = 'retry';
        await sleep(verdict.delay, undefined, { signal: this.#signal() });
        this.row.attempts++;
        continue;
      }
      const to = verdict.to;
      visited ??= new Set<string>([start.href]);
      const refused = checkRedirect(url, to, visited, this.row.redirects, this.options.maxRedirects);
      if (refused !== null) return this.#finish(refused);
      if (isDowngrade(url, to)) {
        if (this.options.refuseDowngrade) return this.#finish(downgradeError(url, to));
        this.row.downgraded = true;
      }
      visited.add(to.href);
      this.row.redirects++;
      headers = headersForHop(headers, url, to);
      ({ hop: this.#request, headers } = afterRedirect(this.#request, headers, this.row.status));
      url = to;
    }
  }

  /**
   * One request to `url`, holding a slot of its host from the request to the end of the body.
   * Resolves to what comes next, or undefined once the row is final.
   */
  async #hop(url: URL, headers: Record<string, string>): Promise<Verdict | undefined> {
    const { hosts, dispatcher } = this.#context;
    const host = url.host;
    this.phase = 'queue';
    // The scheduler took the permit of the URL's own host; a hop to another host waits for one here.
    const gated = hosts.limited && host !== this.#admittedHost;
    if (gated) await hosts.acquire(host, this.#signal());
    try {
      if (this.#admittedRequest) this.#admittedRequest = false;
      else {
        const waiting = beforeRequest(this.#context.extras, host, () => this.#signal());
        if (waiting) await waiting;
      }
      this.#clock.request();
      forgetResponse(this.row);
      this.phase = 'headers';
      this.url = url;
      this.#pending = undefined;
      const exchange = new Exchange(this);
      this.#exchange = exchange;
      let complete: boolean;
      try {
        dispatcher.dispatch(dispatchOptions(url, this.#request, headers, this.options.headersTimeout), exchange);
        complete = await exchange.done;
      } catch (error) {
        this.#clock.headersArrived();
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
   * The head of a response (inside undici's callback): the steps judge it (a redirect, a retry),
   * else it is the final answer and its body is planned. See {@link ExchangeOwner.onHead}.
   */
  onHead(head: ResponseHead, raw: readonly (Buffer | string)[]): BodyRead | null {
    this.#clock.headersArrived();
    const row = this.row;
    row.status = head.status;
    row.finalUrl = this.url.href;
    recordResponse(this.#context.extras, this.options, row, this.url, head, raw);
    this.#statusText = head.statusText;
    const verdict = judgeHead(head, this);
    if (verdict !== undefined) {
      this.phase = verdict.kind === 'retry' ? 'retry' : 'redirect';
      this.#pending = verdict;
      return null;
    }
    this.phase = 'body';
    const reader = BodyReader.plan(head, this.options.json);
    // Nothing to look at: the body is let go at once (drained if tiny, so the socket stays reusable).
    if (reader === null) return null;
    let coding;
    try {
      coding = codingOf(head.contentEncoding); // throws for a coding we cannot undo: bad_body
    } catch (error) {
      reader.release();
      throw error;
    }
    this.#reader = reader;
    return { coding, maxBytes: this.options.maxBytes };
  }

  /** A decoded chunk of the final body. See {@link ExchangeOwner.onBodyChunk}. */
  onBodyChunk(chunk: Buffer): boolean {
    this.row.bytes += chunk.length;
    return this.#reader!.write(chunk);
  }

  /** See {@link ExchangeOwner.turnSpent}: the run's title parsing this turn is over budget. */
  turnSpent(): boolean {
    return parseTurnSpent();
  }

  /** The body is dealt with: act on what the head decided. */
  #conclude(complete: boolean): Verdict | undefined {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#throwIfAborted();
      return pending;
    }
    const reader = this.#reader;
    this.#reader = null;
    if (reader !== null) {
      try {
        reader.finish(this.row, complete, this.options.httpErrors);
      } catch (error) {
        return this.#failed(error, this.url);
      }
    }
    return this.#finish(null, this.#statusText);
  }

  /** Sets the outcome: the given error, else the HTTP status verdict. */
  #finish(error: FetchRowError | null, statusText?: string): undefined {
    const row = this.row;
    if (error === null && this.options.httpErrors && row.status >= 400) {
      const text = statusText || STATUS_CODES[row.status] || 'error';
      error = { code: 'http', message: `HTTP ${row.status} ${text}` };
    }
    row.error = error;
    row.ok = error === null;
    return undefined;
  }

  /** A request or body failure: cancellations and deadlines go up; transient causes are retried. */
  #failed(error: unknown, url: URL): Verdict | undefined {
    this.#reader?.failed(this.row);
    this.#reader = null;
    this.#throwIfAborted(error);
    if (error instanceof BadJsonError) return this.#finish({ code: 'bad_body', message: error.message });
    if (error instanceof BodyTooLargeError) return this.#finish({ code: 'too_large', message: error.message });
    const classified = proxyFailure(error, this.#context.extras.proxy) ?? classifyError(error, this.#errorContext(url));
    const verdict = judgeFailure(classified, this);
    return verdict.kind === 'error' ? this.#finish(verdict.error) : verdict;
  }

  #dropReader(): void {
    this.#reader?.release();
    this.#reader = null;
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

  #errorContext(url: URL): { url: URL; connectTimeout: number; headersTimeout: number } {
    const { connectTimeout, headersTimeout } = this.options;
    return { url, connectTimeout, headersTimeout };
  }
}
