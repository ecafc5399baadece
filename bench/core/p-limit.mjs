// p-limit, as its README shows it: every call wrapped in limit(), then Promise.all.
import pLimit from 'p-limit';
import { checkArray, job, range, run } from './lib.mjs';

await run('p-limit', async ({ mode, n, concurrency }) => {
  const limit = pLimit(concurrency);
  if (mode === 'array') return checkArray(await Promise.all(range(n).map((x) => limit(() => job(x)))), n);
});
