// async (caolan) mapLimit: promise form (no callback), an async function as the iteratee.
import async from 'async';
import { checkArray, job, range, run } from './lib.mjs';

await run('async.mapLimit', async ({ mode, n, concurrency }) => {
  if (mode === 'array') return checkArray(await async.mapLimit(range(n), concurrency, job), n);
});
