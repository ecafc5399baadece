// Seed: "return_exceptions=True". Failures come back in their slot; the type is `string | Error`
// per slot, so the compiler makes you check before using a result.
import { gather, sleep } from 'gather';
import { ms } from './_scale.js';

async function successTask(id: number): Promise<string> {
  await sleep(ms(0.5));
  return `Success ${id}`;
}

async function failingTask(): Promise<string> {
  await sleep(ms(0.3));
  throw new Error('Error!');
}

const results = await gather([successTask(1), failingTask(), successTask(2)], { returnExceptions: true });
results.forEach((result, i) => {
  if (result instanceof Error) console.log(`Task ${i}: ERROR - ${result.message}`);
  else console.log(`Task ${i}: ${result}`);
});
