// Seed: "Waiting for all tasks". gather resolves only when every task is done: 3 s, not 0.5 s.
import { gather, sleep } from 'gather';
import { elapsed, ms } from './_scale.js';

async function slowTask(): Promise<string> {
  await sleep(ms(3));
  return 'Slow task';
}

async function fastTask(): Promise<string> {
  await sleep(ms(0.5));
  return 'Fast task';
}

const start = performance.now();
const results = await gather(slowTask(), fastTask());
console.log(`All tasks finished in ${elapsed(start)}s`);
console.log(results);
