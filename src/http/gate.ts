export interface Gate {
  /** Take a start permit for `host` now (true), or say in how many ms to ask again (Infinity: not before some release()). */
  tryTake(host: string, now: number): true | number;
  /** A request to `host` that took a permit has ended. */
  release(host: string): void;
}
