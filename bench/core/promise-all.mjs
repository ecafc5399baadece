// Promise.all over every job started at once (unbounded). Mode promises-chunked: the hand-written
// way around Node 20's limit (Promise.all never settles from 2,097,151 elements up): chunks of 2^20.
import { checkArray, job, range, run } from './lib.mjs';

await run('Promise.all', async ({ mode, n }) => {
  const items = range(n);
  if (mode === 'array' || mode === 'promises') return checkArray(await Promise.all(items.map(job)), n);
  if (mode === 'promises-chunked') {
    const promises = items.map(job);
    const chunks = [];
    for (let start = 0; start < n; start += 1 << 20) chunks.push(Promise.all(promises.slice(start, start + (1 << 20))));
    return checkArray((await Promise.all(chunks)).flat(), n);
  }
});
