// Seed: "Nested gather". Two batches run concurrently; each batch is itself a gather. The result
// keeps the nesting, and the whole takes as long as the slowest batch (1 s), not 1.5 s.
import { gather, sleep } from 'gather';
import { elapsed, ms } from './_scale.js';

async function apiCall(name: string, delay: number): Promise<string> {
  await sleep(ms(delay));
  return `Result ${name}`;
}

const batch1 = () => gather(apiCall('A1', 1), apiCall('A2', 1));
const batch2 = () => gather(apiCall('B1', 0.5), apiCall('B2', 0.5));

const start = performance.now();
const results = await gather(batch1, batch2); // typed: [[string, string], [string, string]]
console.log('Batch 1:', results[0]);
console.log('Batch 2:', results[1]);
console.log(`Both batches in ${elapsed(start)}s`);
