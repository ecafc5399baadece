// Bluebird.map with a concurrency option.
import Bluebird from 'bluebird';
import { checkArray, job, range, run } from './lib.mjs';

await run('Bluebird.map', async ({ mode, n, concurrency }) => {
  if (mode === 'array') return checkArray(await Bluebird.map(range(n), job, { concurrency }), n);
});
