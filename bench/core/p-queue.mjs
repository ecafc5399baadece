// p-queue: one add() per item, then Promise.all over the returned promises.
import PQueue from 'p-queue';
import { checkArray, job, range, run } from './lib.mjs';

await run('p-queue', async ({ mode, n, concurrency }) => {
  const queue = new PQueue({ concurrency });
  if (mode === 'array') return checkArray(await Promise.all(range(n).map((x) => queue.add(() => job(x)))), n);
});
