// p-map's pMap: collects an array.
import pMap from 'p-map';
import { checkArray, job, range, run } from './lib.mjs';

await run('p-map', async ({ mode, n, concurrency }) => {
  if (mode === 'array') return checkArray(await pMap(range(n), job, { concurrency }), n);
});
