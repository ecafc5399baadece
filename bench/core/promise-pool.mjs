// @supercharge/promise-pool with useCorrespondingResults (results in input order).
import { PromisePool } from '@supercharge/promise-pool';
import { checkArray, job, range, run } from './lib.mjs';

await run('promise-pool', async ({ mode, n, concurrency }) => {
  if (mode !== 'array') return undefined;
  const { results, errors } = await PromisePool.withConcurrency(concurrency).for(range(n)).useCorrespondingResults().process(job);
  if (errors.length > 0) throw errors[0];
  return checkArray(results, n);
});
