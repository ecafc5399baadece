// gather's `map` (the built package): awaited for an array, or streamed with `for await`.
import { map } from 'gather';
import { checkArray, generate, job, orderedSink, range, run } from './lib.mjs';

await run('gather map', async ({ mode, n, concurrency }) => {
  if (mode === 'array') return checkArray(await map(range(n), job, { concurrency }), n);
  if (mode === 'gen-array') return checkArray(await map(generate(n), job, { concurrency }), n);
  if (mode === 'stream') {
    const sink = orderedSink();
    for await (const value of map(generate(n), job, { concurrency })) sink.push(value);
    return sink.check(n);
  }
});
