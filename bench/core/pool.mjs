// The floor: a hand-written pool of `concurrency` workers sharing one cursor.
// array: results written by index into a preallocated array.
// gen-array: each worker awaits gen.next() itself, results written by index (length unknown up front).
// stream: each worker awaits gen.next() itself; results pass an in-order reorder buffer to a sink
// that keeps nothing (the same consumption gather's `for await` gives).
import { checkArray, generate, job, orderedSink, range, run } from './lib.mjs';

await run('pool', async ({ mode, n, concurrency }) => {
  if (mode === 'array') {
    const items = range(n);
    const results = new Array(items.length);
    let cursor = 0;
    const worker = async () => {
      while (cursor < items.length) {
        const i = cursor++;
        results[i] = await job(items[i]);
      }
    };
    const workers = [];
    for (let w = 0; w < concurrency; w++) workers.push(worker());
    await Promise.all(workers);
    return checkArray(results, n);
  }
  if (mode === 'gen-array') {
    const source = generate(n);
    const results = [];
    let cursor = 0;
    const worker = async () => {
      for (;;) {
        const i = cursor++; // async generators answer queued next() calls in call order
        const step = await source.next();
        if (step.done) return;
        results[i] = await job(step.value);
      }
    };
    const workers = [];
    for (let w = 0; w < concurrency; w++) workers.push(worker());
    await Promise.all(workers);
    return checkArray(results, n);
  }
  if (mode === 'stream') {
    const source = generate(n);
    const sink = orderedSink();
    const early = new Map();
    let cursor = 0;
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = cursor++; // async generators answer queued next() calls in call order
        const step = await source.next();
        if (step.done) return;
        const value = await job(step.value);
        if (i !== next) {
          early.set(i, value);
          continue;
        }
        sink.push(value);
        next++;
        while (early.has(next)) {
          sink.push(early.get(next));
          early.delete(next++);
        }
      }
    };
    const workers = [];
    for (let w = 0; w < concurrency; w++) workers.push(worker());
    await Promise.all(workers);
    return sink.check(n);
  }
});
