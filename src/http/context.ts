/**
 * Everything one run shares between its URLs: the options, the dispatcher (with its DNS cache) and
 * the per-host limiter; and the one place that releases them when the run ends.
 */
import type { Dispatcher } from 'undici';
import { createDnsCache, type DnsCache } from './dns-cache.js';
import { HostLimiter } from './host-limit.js';
import { preloadFetchModules } from './load.js';
import type { ResolvedOptions } from './options.js';
import { createRunDispatcher } from './proxy.js';
import { createRunExtras, rateGateFor, type RunExtras } from './run-extras.js';

/** Something in flight that a cancellation must stop: a URL's job. */
export interface Abortable {
  abort(reason: unknown): void;
}

/**
 * Passes one signal's abort on to every job in flight. One listener per run, where a listener per
 * URL (added, then removed) costs more than the rest of a small request's bookkeeping.
 */
class AbortFanout {
  readonly #signal: AbortSignal;
  readonly #jobs = new Set<Abortable>();

  constructor(signal: AbortSignal) {
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  add(job: Abortable): void {
    this.#jobs.add(job);
  }

  delete(job: Abortable): void {
    this.#jobs.delete(job);
  }

  dispose(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#jobs.clear();
  }

  readonly #onAbort = (): void => {
    const reason = this.#signal.reason;
    for (const job of [...this.#jobs]) job.abort(reason);
  };
}

/** The shared state of one run. */
export interface RunContext {
  options: ResolvedOptions;
  dispatcher: Dispatcher;
  hosts: HostLimiter;
  /** The run's DNS cache; undefined with a caller's own dispatcher. */
  dns: DnsCache | undefined;
  /** Rate gate, TLS recorder, proxy (run-extras.ts). */
  extras: RunExtras;
  /**
   * Aborts `job` when `signal` aborts (at once if it has), until {@link unwatch}: one listener per
   * signal for the whole run, however many URLs.
   */
  watch(signal: AbortSignal | undefined, job: Abortable): void;
  /** Stops watching for `job`. */
  unwatch(signal: AbortSignal | undefined, job: Abortable): void;
  /**
   * Releases what the run created: stops watching signals, closes its agent gracefully (`failed`
   * false) or destroys it (`failed` true: a cancelled run must not wait for anything). A caller's
   * dispatcher is left open. Idempotent; resolves when every socket is closed.
   */
  close(failed: boolean): Promise<void>;
}

/**
 * Creates the context of a run: a keep-alive agent of its own unless `options.dispatcher` was
 * given. `hosts`: the run's per-host limit when the scheduler shares it (it is one of its gates).
 *
 * @example
 * ```ts
 * const context = createRunContext(resolveOptions({ perHost: 2 }, 'fetchAll()', 'fetch'));
 * try { ... } finally { await context.close(false); }
 * ```
 */
export function createRunContext(options: ResolvedOptions, hosts = new HostLimiter(options.perHost), rate = rateGateFor(options)): RunContext {
  // Everything the run will load, loaded now: a module loaded mid-run needs a free descriptor.
  preloadFetchModules();
  const extras = createRunExtras(options, rate);
  const fanouts = new Map<AbortSignal, AbortFanout>();
  const watch = (signal: AbortSignal | undefined, job: Abortable): void => {
    if (signal === undefined) return;
    if (signal.aborted) return job.abort(signal.reason);
    let fanout = fanouts.get(signal);
    if (fanout === undefined) {
      fanout = new AbortFanout(signal);
      fanouts.set(signal, fanout);
    }
    fanout.add(job);
  };
  const unwatch = (signal: AbortSignal | undefined, job: Abortable): void => {
    if (signal !== undefined) fanouts.get(signal)?.delete(job);
  };
  const stopWatching = (): void => {
    for (const fanout of fanouts.values()) fanout.dispose();
    fanouts.clear();
  };
  if (options.dispatcher) {
    return {
      options,
      dispatcher: options.dispatcher,
      hosts,
      dns: undefined,
      extras,
      watch,
      unwatch,
      close() {
        stopWatching();
        extras.close();
        return Promise.resolve();
      },
    };
  }
  const dns = createDnsCache(options.lookup);
  const agent = createRunDispatcher(
    { concurrency: options.concurrency, perHost: options.perHost, connectTimeout: options.connectTimeout, lookup: dns },
    options.request,
  );
  let closing: Promise<void> | undefined;
  return {
    options,
    dispatcher: agent,
    hosts,
    dns,
    extras,
    watch,
    unwatch,
    close(failed) {
      stopWatching();
      extras.close();
      closing ??= (failed ? agent.destroy() : agent.close()).then(
        () => undefined,
        () => undefined, // closing is best effort: there is nobody left to tell
      );
      return closing;
    },
  };
}
