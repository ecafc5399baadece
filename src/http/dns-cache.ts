/**
 * A per-run DNS cache in front of a `dns.lookup`-shaped function. Every new connection looks its
 * host up (undici opens up to `concurrency` of them per host at once), so without it a run of 1,000
 * URLs on one site makes dozens of identical queries, in parallel, on libuv's small thread pool.
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isOutOfDescriptors } from './connector.js';

type LookupCallback = Parameters<LookupFunction>[2];
type Answer = [error: NodeJS.ErrnoException | null, addresses: LookupAddress[]];

/**
 * A `dns.lookup`-compatible function whose answers are cached, plus a view of the cache.
 *
 * @example
 * ```ts
 * const lookup: DnsCache = createDnsCache();
 * await Promise.all(urls.map((url) => request(url, { dispatcher: new Agent({ connect: { lookup } }) })));
 * lookup.queries; // one per distinct hostname
 * ```
 */
export interface DnsCache extends LookupFunction {
  /** How many queries went to the underlying lookup (cache misses). */
  readonly queries: number;
  /** Forgets every cached answer. */
  clear(): void;
}

/**
 * Wraps `lookup` (default: node's `dns.lookup`) so each hostname is queried once: concurrent
 * lookups of the same name share one query, and later ones get the answer (or the error: a name
 * that does not resolve will not start resolving in the next second) from memory. Meant to live as
 * long as one run, so TTLs do not matter. Pass it as undici's `connect: { lookup }`.
 *
 * Both lookup shapes are answered from one query: `{ all: true }` (what node's happy-eyeballs
 * connect asks for) gets the list, otherwise the first address. An underlying lookup that ignores
 * `all` is fine too.
 *
 * @example
 * ```ts
 * const lookup = createDnsCache((hostname, options, callback) => callback(null, '127.0.0.1', 4));
 * const agent = new Agent({ connect: { lookup } });
 * ```
 */
export function createDnsCache(lookup: LookupFunction = systemLookupRefusingInvalid): DnsCache {
  // Keyed by name and family: a family-4 and a family-6 question are different questions.
  const answers = new Map<string, Answer>();
  const pending = new Map<string, { resolve: (answer: Answer) => void }[]>();
  let queries = 0;

  function reply(options: LookupOptions, callback: LookupCallback, [error, addresses]: Answer): void {
    if (error) return callback(error, options.all ? [] : '', 0);
    if (options.all) return callback(null, addresses.map((a) => ({ ...a })));
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  }

  const cached = function cachedLookup(hostname: string, options: LookupOptions | number, callback: LookupCallback): void {
    // dns.lookup also accepts (hostname, family, callback) and (hostname, callback).
    if (typeof options === 'function') {
      callback = options as unknown as LookupCallback;
      options = {};
    }
    const opts: LookupOptions = typeof options === 'number' ? { family: options } : (options ?? {});
    const key = `${opts.family ?? 0}:${hostname.toLowerCase()}`;
    const answer = answers.get(key);
    if (answer) {
      // Callbacks are always asynchronous, as from the real lookup.
      process.nextTick(reply, opts, callback, answer);
      return;
    }
    let waiters = pending.get(key);
    if (waiters) {
      waiters.push({ resolve: (a) => reply(opts, callback, a) });
      return;
    }
    waiters = [{ resolve: (a) => reply(opts, callback, a) }];
    pending.set(key, waiters);
    queries++;
    const settle = (result: Answer): void => {
      const list = pending.get(key) ?? [];
      pending.delete(key);
      // Out of descriptors is the machine's state, not the name's answer: asked again next time.
      if (!isOutOfDescriptors(result[0])) answers.set(key, result);
      // Deferred, so a user lookup that calls back synchronously still answers asynchronously.
      process.nextTick(() => {
        for (const waiter of list) waiter.resolve(result);
      });
    };
    try {
      lookup(hostname, { ...opts, all: true }, (error, address, family) => {
        if (error) return settle([error, []]);
        const addresses: LookupAddress[] = Array.isArray(address)
          ? address
          : [{ address, family: family ?? (address.includes(':') ? 6 : 4) }];
        if (addresses.length === 0) return settle([notFound(hostname), []]);
        settle([null, addresses]);
      });
    } catch (error) {
      // A user lookup that throws instead of calling back still answers everyone waiting.
      settle([error as NodeJS.ErrnoException, []]);
    }
  } as DnsCache;

  Object.defineProperty(cached, 'queries', { get: () => queries });
  cached.clear = () => answers.clear();
  return cached;
}

/**
 * The system lookup, except for names under `.invalid`: RFC 6761 reserves that domain never to
 * resolve and asks resolver libraries to answer "no such name" themselves. Doing so keeps made-up
 * names (tests, demos, typos) off the network entirely. A lookup the caller injects is used as is.
 */
function systemLookupRefusingInvalid(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'invalid' || name.endsWith('.invalid')) {
    const error = notFound(hostname);
    process.nextTick(() => callback(error, options.all ? [] : '', 0));
    return;
  }
  (systemLookup as LookupFunction)(hostname, options, callback);
}

/**
 * The error `dns.lookup` gives for a name that does not exist, made the same way everywhere.
 *
 * @example
 * ```ts
 * notFound('x.invalid').code; // 'ENOTFOUND'
 * ```
 */
export function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
}
