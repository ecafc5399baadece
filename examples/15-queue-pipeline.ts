// Producer / consumer: the seed series' next chapter. One producer puts 20 jobs into a bounded
// Queue(5), so it waits whenever the workers fall behind; a pool of 3 workers takes jobs with
// `for await`, handles each and marks it done. join() waits until every job is handled, then
// shutdown() ends the workers' loops: a clean stop, nothing left running.
import { Queue, createTask, gather, sleep } from 'gather';
import { ms } from './_scale.js';

const JOBS = 20;
const queue = new Queue<number>(5);
let sumOfSquares = 0;

async function worker(name: string): Promise<number> {
  let handled = 0;
  for await (const job of queue) {
    try {
      await sleep(ms(0.1 + (job % 3) * 0.05)); // uneven work
      sumOfSquares += job * job;
      handled++;
    } finally {
      queue.taskDone();
    }
  }
  return handled; // the loop ends once the queue is shut down and empty
}

const workers = ['worker-1', 'worker-2', 'worker-3'].map((name) => createTask(() => worker(name), { name }));

let mostQueued = 0;
for (let job = 1; job <= JOBS; job++) {
  await queue.put(job); // waits while 5 jobs are queued
  mostQueued = Math.max(mostQueued, queue.size);
}
console.log(`Produced ${JOBS} jobs; the queue never held more than ${mostQueued}`);

await queue.join();
console.log(`All ${JOBS} jobs done: sum of squares = ${sumOfSquares}`);

queue.shutdown();
const counts = await gather(workers);
console.log(`${workers.length} workers stopped after shutdown(), having handled ${counts.reduce((a, b) => a + b, 0)} jobs`);
console.log(`every worker took part: ${counts.every((count) => count > 0)}`);
