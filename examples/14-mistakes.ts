// Seed: "Common mistakes". 1) Passing an array works: no spread needed. 2) returnExceptions results
// must be checked: the type `T | Error` makes the compiler insist. 3) Unbounded fan-out: `limit`
// bounds how many jobs run at once.
import { gather, sleep } from 'gather';
import { ms } from './_scale.js';

async function work(id: number): Promise<number> {
  await sleep(ms(0.01));
  if (id === 3) throw new Error(`job ${id} failed`);
  return id * 2;
}

// 1) Python's `gather(tasks)` is a bug; here the array is simply the array form.
const doubled = await gather([1, 2].map((id) => work(id)));
console.log('array form:', doubled);

// 2) Check every slot.
const outcomes = await gather([1, 2, 3].map((id) => work(id)), { returnExceptions: true });
for (const outcome of outcomes) {
  if (outcome instanceof Error) console.log(`Error: ${outcome.message}`);
  else console.log(`Success: ${outcome}`);
}

// 3) 1,000 jobs, at most 10 at a time.
let running = 0;
let peak = 0;
const jobs = Array.from({ length: 1000 }, (_, id) => async () => {
  running++;
  peak = Math.max(peak, running);
  await sleep(ms(0.005));
  running--;
  return id;
});
const all = await gather(jobs, { limit: 10 });
console.log(`${all.length} jobs done, at most ${peak} at once`);
