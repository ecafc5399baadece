/**
 * Everything one run shares between its URLs: the options, the dispatcher (with its DNS cache) and
 * the per-host limiter; and the one place that releases them when the run ends.
 */
import type { Dispatcher } from 'undici';
import { createAgent } from './agent.js';
import { createDnsCache, type DnsCache } from './dns-cache.js';
import { HostLimiter } from './host-limit.js';
import type { ResolvedOptions } from './options.js';

/** The shared state of one run. */
export interface RunContext {
  options: ResolvedOptions;
  dispatcher: Dispatcher;
  hosts: HostLimiter;
  /** The run's DNS cache; undefined with a caller's own dispatcher. */
  dns: DnsCache | undefined;
  /**
   * Releases what the run created: closes its agent gracefully (`failed` false) or destroys it
   * (`failed` true: a cancelled run must not wait for anything). A caller's dispatcher is left
   * open. Idempotent; resolves when every socket is closed.
   */
  close(failed: boolean): Promise<void>;
}

/**
 * Creates the context of a run: a keep-alive agent of its own unless `options.dispatcher` was
 * given.
 *
 * @example
 * ```ts
 * const context = createRunContext(resolveOptions({ perHost: 2 }, 'fetchAll()', 'fetch'));
 * try { ... } finally { await context.close(false); }
 * ```
 */
export function createRunContext(options: ResolvedOptions): RunContext {
  const hosts = new HostLimiter(options.perHost);
  if (options.dispatcher) {
    return { options, dispatcher: options.dispatcher, hosts, dns: undefined, close: () => Promise.resolve() };
  }
  const dns = createDnsCache(options.lookup);
  const agent = createAgent({
    concurrency: options.concurrency,
    perHost: options.perHost,
    connectTimeout: options.connectTimeout,
    lookup: dns,
  });
  let closing: Promise<void> | undefined;
  return {
    options,
    dispatcher: agent,
    hosts,
    dns,
    close(failed) {
      closing ??= (failed ? agent.destroy() : agent.close()).then(
        () => undefined,
        () => undefined, // closing is best effort: there is nobody left to tell
      );
      return closing;
    },
  };
}
