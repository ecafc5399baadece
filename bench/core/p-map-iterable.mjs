// p-map's pMapIterable: streams results in order (mode array collects them with for await).
import { pMapIterable } from 'p-map';
import { checkArray, generate, job, orderedSink, range, run } from './lib.mjs';

await run('pMapIterable', async ({ mode, n, concurrency }) => {
  if (mode === 'array') {
    const results = [];
    for await (const value of pMapIterable(range(n), job, { concurrency })) results.push(value);
    return checkArray(results, n);
  }
  if (mode === 'stream') {
    const sink = orderedSink();
    for await (const value of pMapIterable(generate(n), job, { concurrency })) sink.push(value);
    return sink.check(n);
  }
});
