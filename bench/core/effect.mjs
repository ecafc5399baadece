// Effect.forEach with { concurrency }, the job lifted with Effect.promise.
import { Effect } from 'effect';
import { checkArray, job, range, run } from './lib.mjs';

await run('Effect.forEach', async ({ mode, n, concurrency }) => {
  if (mode !== 'array') return undefined;
  const program = Effect.forEach(range(n), (x) => Effect.promise(() => job(x)), { concurrency });
  return checkArray(await Effect.runPromise(program), n);
});
