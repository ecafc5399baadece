/**
 * A Gate decides when a request may start. The scheduler consults its gates before it starts a URL,
 * so a URL that has to wait (for a rate, a host's back-off) never holds a global slot meanwhile.
 */

export interface Gate {
  /** Take a start permit for `host` now (true), or say in how many ms to ask again (Infinity: not before some release()). */
  tryTake(host: string, now: number): true | number;
  /** A request to `host` that took a permit has ended. */
  release(host: string): void;
}
