/**
 * The one question the URL scheduler asks before it starts a URL: may a request to this host start
 * now? Per-host concurrency ({@link HostLimiter}) is one Gate; a rate limit is another. The scheduler
 * consults every gate of the run for every start, and a URL that a gate refuses waits in the
 * look-ahead without holding a global slot.
 */

/**
 * A start permit per host, asked by the scheduler before each URL starts.
 *
 * @example
 * ```ts
 * // One request per host at a time.
 * const busy = new Set<string>();
 * const oneEach: Gate = {
 *   tryTake: (host) => (busy.has(host) ? Infinity : (busy.add(host), true)),
 *   release: (host) => void busy.delete(host),
 * };
 * fetchUrls(urls, fetchRow, { concurrency: 64, gates: [oneEach] });
 * ```
 */
export interface Gate {
  /** Take a start permit for `host` now (true), or say in how many ms to ask again (Infinity: not before some release()). */
  tryTake(host: string, now: number): true | number;
  /** A request to `host` that took a permit has ended. */
  release(host: string): void;
}
