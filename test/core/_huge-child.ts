// Runs one huge-input scenario in a process of its own and prints a JSON report on stdout.
// Why a child process: under `node --test`, Node 20's test harness installs an async hook that
// records every promise in a Map, which makes 10^6+ promises several times slower and fails with
// "Map maximum size exceeded" past 2^24 live resources; gather itself has no such limit.
// Usage: node --import tsx test/core/_huge-child.ts <gather|gather-errors|map-stream> <count> [concurrency]
import { gather, map } from '../../src/core/index.js';

async function main(): Promise<Record<string, unknown>> {
  const [mode, countText] = process.argv.slice(2);
  const count = Number(countText);
  const started = Date.now();
  if (mode === 'gather' || mode === 'gather-errors') {
    const promises = new Array<Promise<number>>(count);
    for (let i = 0; i < count; i++) promises[i] = Promise.resolve(i);
    if (mode === 'gather-errors') promises[count - 10] = Promise.reject(new Error('late failure'));
    const results = mode === 'gather' ? await gather(promises) : await gather(promises, { returnExceptions: true });
    let inOrder = true;
    for (let i = 0; i < count; i++) {
      const expected = mode === 'gather-errors' && i === count - 10 ? 'error' : i;
      const actual = results[i] instanceof Error ? 'error' : results[i];
      if (actual !== expected) {
        inOrder = false;
        break;
      }
    }
    return { length: results.length, inOrder, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ms: Date.now() - started };
  }
  if (mode === 'map-stream') {
    // How far the source runs ahead of the consumer, and how much the heap grows.
    const concurrency = Number(process.argv[4] ?? 8);
    let produced = 0;
    let seen = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < count; i++) {
        produced++;
        if (produced - seen > maxAhead) maxAhead = produced - seen;
        yield i;
      }
    }
    const before = process.memoryUsage().heapUsed;
    let inOrder = true;
    let peak = 0;
    for await (const value of map(source(), (n) => n * 2, { concurrency })) {
      if (value !== seen * 2) inOrder = false;
      seen++;
      if (seen % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    return { length: seen, inOrder, maxAhead, heapGrowth: peak - before, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ms: Date.now() - started };
  }
  throw new Error(`unknown mode ${mode}`);
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
