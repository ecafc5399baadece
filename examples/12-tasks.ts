// Seed: "gather vs create_task". Create tasks first when you need a handle on each: here one is
// cancelled, and gather with returnExceptions puts a CancelledError in its slot.
import { CancelledError, createTask, gather, sleep } from 'gather';
import { ms } from './_scale.js';

async function coroutine1(): Promise<string> {
  await sleep(ms(0.5));
  return 'coroutine1 done';
}

async function coroutine2(): Promise<string> {
  await sleep(ms(0.5));
  return 'coroutine2 done';
}

// Way 1: gather the work directly (simple cases).
console.log('way 1:', await gather(coroutine1(), coroutine2()));

// Way 2: tasks first, then gather them.
const a = createTask(coroutine1, { name: 'first' });
const b = createTask(coroutine2, { name: 'second' });
console.log('way 2:', await gather(a, b));

// Way 3: tasks give control: cancel one of them.
const task1 = createTask(coroutine1, { name: 'task1' });
const task2 = createTask(coroutine2, { name: 'task2' });
task1.cancel();
const results = await gather([task1, task2], { returnExceptions: true });
results.forEach((result, i) => {
  const label = result instanceof CancelledError ? 'CancelledError' : result instanceof Error ? `Error ${result.message}` : result;
  console.log(`way 3 slot ${i}: ${label}`);
});
console.log(`task1.cancelled() = ${task1.cancelled()}, task2.result() = ${task2.result()}`);
