// Seed: "Exception handling, default behaviour". The first failure rejects gather at once; the
// other task is NOT cancelled and keeps running in the background, exactly as in asyncio.
import { gather, sleep } from 'gather';
import { elapsed, ms } from './_scale.js';

let successFinished = false;

async function successTask(): Promise<string> {
  await sleep(ms(1));
  successFinished = true;
  return 'Success';
}

async function failingTask(): Promise<never> {
  await sleep(ms(0.5));
  throw new Error('Something went wrong!');
}

const start = performance.now();
try {
  await gather(successTask(), failingTask());
} catch (error) {
  console.log(`Error: ${(error as Error).message} (after ${elapsed(start)}s)`);
}
console.log(`successTask finished yet? ${successFinished}`);
await sleep(ms(1));
console.log(`successTask finished in the background: ${successFinished}`);
