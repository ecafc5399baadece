import { Queue } from './queue.js';
import { LifoStore, type Store } from './queue-store.js';

/**
 * A last-in, first-out {@link Queue}: asyncio's `LifoQueue`. Same members, `get` takes the newest item.
 *
 * @example
 * ```ts
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1); stack.putNowait(2);
 * stack.getNowait(); // 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  protected override createStore(): Store<T> {
    return new LifoStore<T>();
  }
}
