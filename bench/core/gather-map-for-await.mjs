// gather's `map` over an array, consumed with `for await` (in order, or unordered with indexes):
// the streaming path, against the pool that collects into an array.
import { map } from 'gather';
import { orderedSink, range, job, run } from './lib.mjs';

await run('gather map, for await', async ({ mode, n, concurrency }) => {
  if (mode === 'array') {
    const sink = orderedSink();
    for await (const value of map(range(n), job, { concurrency })) sink.push(value);
    return sink.check(n);
  }
  if (mode === 'array-unordered') {
    // Completion order: the checksum (and each value against its index) is the check.
    let sum = 0;
    let count = 0;
    for await (const { index, value } of map(range(n), job, { concurrency, ordered: false })) {
      if (value !== index + 1) throw new Error(`result ${index} is ${value}`);
      sum += value;
      count++;
    }
    if (count !== n) throw new Error(`expected ${n} results, got ${count}`);
    return sum;
  }
});
