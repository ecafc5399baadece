// Seed: "What is asyncio.gather?" Two tasks run concurrently; the total time is the longest, not the sum.
import { gather, sleep } from 'gather';
import { elapsed, ms } from './_scale.js';

async function task1(): Promise<string> {
  await sleep(ms(1));
  return 'Result 1';
}

async function task2(): Promise<string> {
  await sleep(ms(2));
  return 'Result 2';
}

const start = performance.now();
const results = await gather(task1(), task2()); // typed: [string, string]
console.log(results);
console.log(`Finished in ${elapsed(start)}s (the longest task, not the sum of both)`);
