// gather over already-created promises (mode promises), or over jobs with `limit` (mode array).
import { gather } from 'gather';
import { checkArray, job, range, run } from './lib.mjs';

await run('gather', async ({ mode, n, concurrency }) => {
  const items = range(n);
  if (mode === 'promises') return checkArray(await gather(items.map(job)), n);
  if (mode === 'array') return checkArray(await gather(items.map((x) => () => job(x)), { limit: concurrency }), n);
});
