// A barrier-synchronised batch: 4 workers each load their part of a batch, then wait at a
// Barrier(4); when the last one arrives, the batch runs and every worker moves on to the next round
// together. No worker starts round N+1 before all have finished round N.
import { Barrier, gather, sleep } from 'gather';
import { ms } from './_scale.js';

const WORKERS = 4;
const ROUNDS = 3;
const barrier = new Barrier(WORKERS);
const finished = Array.from({ length: ROUNDS + 1 }, () => 0); // workers done with each round
let ranAhead = false;

async function worker(id: number): Promise<void> {
  for (let round = 1; round <= ROUNDS; round++) {
    if (finished[round - 1] < (round === 1 ? 0 : WORKERS)) ranAhead = true;
    await sleep(ms(0.05 * (((id + round) % WORKERS) + 1))); // load this worker's part, uneven
    finished[round]++;
    const arrival = await barrier.wait(); // 0 for the first to arrive ... 3 for the last
    if (arrival === WORKERS - 1) console.log(`Round ${round}: all ${finished[round]} parts loaded, the batch runs`);
  }
}

await gather(Array.from({ length: WORKERS }, (_, id) => () => worker(id)));
console.log(`${ROUNDS} rounds; a worker ran ahead of the others: ${ranAhead}`);
console.log(`waiting at the barrier now: ${barrier.nWaiting}`);
