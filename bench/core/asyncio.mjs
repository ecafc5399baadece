// The asyncio toolbox on the core bench's job (lib.mjs), against the hand-written equivalent:
// queue:       n items through a Queue(1000), one producer, `concurrency` consumers (get() loops)
// queue-nowait: the same, the producer uses putNowait() while there is room (asyncio's `await put()`
//              does not suspend then; a JavaScript `await` always costs a turn)
// queue-iter:  the same, consumers written as `for await (const item of queue)`
// pool:        the hand-written pool on the same work: `concurrency` workers sharing one cursor
// hand-queue:  the least a bounded producer/consumer queue can do in JavaScript (an array and two
//              lists of resolvers, no cancellation, no FIFO guarantees), used the way `queue` is
// tasks-lazy:  n tasks whose job answers at once (a cache hit), `concurrency` created then awaited at a time
// tasks-eager: the same with createTask(job, { eager: true })
import { Queue, QueueShutDown, createTask } from 'gather';
import { job, run } from './lib.mjs';

const QUEUE_SIZE = 1000;
const cached = (x) => x + 1; // a job that finishes without awaiting

await run('asyncio', async ({ mode, n, concurrency }) => {
  if (mode === 'pool') {
    let cursor = 0;
    let sum = 0;
    const worker = async () => {
      while (cursor < n) {
        const value = await job(cursor++);
        sum += value;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return sum;
  }
  if (mode === 'hand-queue') {
    const items = [];
    const getters = [];
    const putters = [];
    let closed = false;
    const put = (item) => {
      if (items.length < QUEUE_SIZE) {
        items.push(item);
        getters.shift()?.();
        return Promise.resolve();
      }
      return new Promise((resolve) => putters.push(resolve)).then(() => put(item));
    };
    const get = async () => {
      while (items.length === 0) {
        if (closed) return undefined;
        await new Promise((resolve) => getters.push(resolve));
      }
      const item = items.shift();
      putters.shift()?.();
      return item;
    };
    let sum = 0;
    const consumer = async () => {
      for (;;) {
        const item = await get();
        if (item === undefined) return;
        const value = await job(item);
        sum += value;
      }
    };
    const consumers = Array.from({ length: concurrency }, consumer);
    for (let i = 0; i < n; i++) await put(i);
    closed = true;
    for (const wake of getters.splice(0)) wake();
    await Promise.all(consumers);
    return sum;
  }
  if (mode === 'queue' || mode === 'queue-nowait' || mode === 'queue-iter') {
    const queue = new Queue(QUEUE_SIZE);
    let sum = 0;
    const consumer =
      mode !== 'queue-iter'
        ? async () => {
            for (;;) {
              let item;
              try {
                item = await queue.get();
              } catch (error) {
                if (error instanceof QueueShutDown) return;
                throw error;
              }
              const value = await job(item);
              sum += value;
            }
          }
        : async () => {
            for await (const item of queue) {
              const value = await job(item);
              sum += value;
            }
          };
    const consumers = Array.from({ length: concurrency }, consumer);
    if (mode === 'queue-nowait') {
      for (let i = 0; i < n; i++) {
        if (queue.full()) await queue.put(i);
        else queue.putNowait(i);
      }
    } else {
      for (let i = 0; i < n; i++) await queue.put(i);
    }
    queue.shutdown();
    await Promise.all(consumers);
    return sum;
  }
  if (mode === 'tasks-lazy' || mode === 'tasks-eager') {
    const options = { eager: mode === 'tasks-eager' };
    const batch = new Array(concurrency);
    let sum = 0;
    for (let start = 0; start < n; start += concurrency) {
      const end = Math.min(n, start + concurrency);
      for (let i = start; i < end; i++) batch[i - start] = createTask(() => cached(i), options);
      for (let i = start; i < end; i++) {
        const value = await batch[i - start];
        sum += value;
      }
    }
    return sum;
  }
});
