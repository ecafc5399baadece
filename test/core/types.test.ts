// Type tests: `npx tsc -p tsconfig.json` fails if the inferred types regress. Each `const _: Equal<...> = true`
// only compiles when the two types are identical; the runtime checks below keep the examples honest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Barrier,
  Condition,
  Event,
  Lock,
  MapRun,
  PriorityQueue,
  Queue,
  Semaphore,
  Task,
  TaskGroup,
  asCompleted,
  createTask,
  gather,
  map,
  sleep,
  shield,
  shielded,
  timeout,
  wait,
  waitFor,
  type GatherResults,
  type Job,
  type Settled,
} from '../../src/core/index.js';

/** True only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
/** The value a Task or other PromiseLike resolves to. */
type Resolved<T> = T extends PromiseLike<infer V> ? V : never;

const aString = (): Promise<string> => Promise.resolve('a');
const aNumber = (): Promise<number> => Promise.resolve(1);

test('gather: variadic promises infer a tuple', async () => {
  const run = gather(aString(), aNumber());
  const isTask: Equal<typeof run, Task<[string, number]>> = true;
  const results = await run;
  const ok: Equal<typeof results, [string, number]> = true;
  assert.deepEqual([isTask, ok, results], [true, true, ['a', 1]]);
});

test('gather: an array literal is a const tuple', async () => {
  const results = await gather([aString(), async () => 2, createTask(() => true)]);
  const ok: Equal<typeof results, [string, number, boolean]> = true;
  assert.deepEqual([ok, results], [true, ['a', 2, true]]);
});

test('gather: a Promise<number>[] gives number[], any iterable an array', async () => {
  const promises: Promise<number>[] = [aNumber(), aNumber()];
  const results = await gather(promises);
  const ok: Equal<typeof results, number[]> = true;
  const fromSet = await gather(new Set([aString()]));
  const okSet: Equal<typeof fromSet, string[]> = true;
  const limited = await gather(promises, { limit: 2 });
  const okLimited: Equal<typeof limited, number[]> = true;
  assert.deepEqual([ok, okSet, okLimited, results, fromSet], [true, true, true, [1, 1], ['a']]);
});

test('gather: returnExceptions makes every slot T | Error', async () => {
  const tuple = await gather([aString(), aNumber()], { returnExceptions: true });
  const okTuple: Equal<typeof tuple, [string | Error, number | Error]> = true;
  const promises: Promise<number>[] = [aNumber()];
  const array = await gather(promises, { returnExceptions: true });
  const okArray: Equal<typeof array, (number | Error)[]> = true;
  // the caller must narrow before using a slot as its value
  const first = tuple[0];
  // @ts-expect-error -- `string | Error` is not a string until narrowed
  const notNarrowed: string = first;
  const narrowed: string = first instanceof Error ? first.message : first;
  assert.deepEqual([okTuple, okArray, narrowed, notNarrowed], [true, true, 'a', 'a']);
});

test('gather: jobs (signal) => Promise<T> and () => T settle to T', async () => {
  const results = await gather(
    async (signal: AbortSignal) => (signal.aborted ? 0 : 42),
    () => 'sync',
    (signal: AbortSignal) => sleep(1, { aborted: signal.aborted }),
  );
  // literal return values keep their literal types (`const` inference), objects stay mutable
  const ok: Equal<typeof results, [0 | 42, 'sync', { aborted: boolean }]> = true;
  const widened: [number, string, { aborted: boolean }] = results;
  const job: Job<Date> = () => new Date(0);
  const fromJob = await gather([job]);
  const okJob: Equal<typeof fromJob, [Date]> = true;
  assert.deepEqual([ok, okJob, results, widened], [true, true, [42, 'sync', { aborted: false }], results]);
});

test('gather: a nested gather (a Task) becomes a nested tuple', async () => {
  const results = await gather(gather(aString(), aNumber()), gather(async () => true, aString()));
  const ok: Equal<typeof results, [[string, number], [boolean, string]]> = true;
  assert.deepEqual([ok, results], [true, [['a', 1], [true, 'a']]]);
  const empty = await gather();
  const okEmpty: Equal<typeof empty, []> = true;
  assert.equal(okEmpty, true);
});

test('gather: the exported helper types agree', () => {
  const settledJob: Equal<Settled<(signal: AbortSignal) => Promise<number>>, number> = true;
  const settledTask: Equal<Settled<Task<string>>, string> = true;
  const settledValue: Equal<Settled<bigint>, bigint> = true;
  const results: Equal<GatherResults<[Promise<1>, () => 'x']>, [1, 'x']> = true;
  assert.deepEqual([settledJob, settledTask, settledValue, results], [true, true, true, true]);
});

test('map: a MapRun<T> that awaits to T[] and streams T', async () => {
  const run = map([1, 2], async (n, index, signal) => `${n}${index}${signal.aborted}`);
  const okRun: Equal<typeof run, MapRun<string>> = true;
  const results = await run;
  const ok: Equal<typeof results, string[]> = true;
  const withErrors = await map(new Set([1]), (n) => n * 2, { returnExceptions: true });
  const okErrors: Equal<typeof withErrors, (number | Error)[]> = true;
  for await (const value of map([1], (n) => n > 0)) {
    const okValue: Equal<typeof value, boolean> = true;
    assert.equal(okValue, true);
  }
  assert.deepEqual([okRun, ok, okErrors, results, withErrors], [true, true, true, ['10false', '21false'], [2]]);
});

test('createTask, waitFor, timeout, asCompleted and TaskGroup.run infer their values', async () => {
  const task = createTask(async () => 5);
  const okTask: Equal<typeof task, Task<number>> = true;
  const waited = waitFor(async () => 'w', 100);
  const okWaited: Equal<typeof waited, Promise<string>> = true;
  const timed = timeout(100, () => aNumber());
  const okTimed: Equal<typeof timed, Promise<number>> = true;
  const iterator = asCompleted([aString(), async () => 1]);
  const okIterator: Equal<typeof iterator, AsyncIterableIterator<string | number>> = true;
  const grouped = TaskGroup.run(async (group) => [await group.createTask(() => 'g')] as const);
  const okGrouped: Equal<Resolved<typeof grouped>, readonly ['g' | string]> = true;
  const values = [await task, await waited, await timed, await grouped];
  for await (const _ of iterator);
  assert.deepEqual([okTask, okWaited, okTimed, okIterator, okGrouped, values], [true, true, true, true, true, [5, 'w', 1, ['g']]]);
});

test('wrong uses do not compile', async () => {
  // @ts-expect-error -- the tuple is [string, number], not [number, string]
  const swapped: [number, string] = await gather(aString(), aNumber());
  // @ts-expect-error -- map's fn takes the item type
  const wrongItem = map([1, 2], (s: string) => s.length);
  // @ts-expect-error -- a Task<number> is not a Task<string>
  const wrongTask: Task<string> = createTask(async () => 5);
  // @ts-expect-error -- map's option is `concurrency`, not `limit`
  assert.throws(() => map([1], (n) => n, { limit: 2 }), /Unknown option `limit`/);
  // @ts-expect-error -- a semaphore's use() takes a function
  await assert.rejects(new Semaphore(1).use(Promise.resolve(1)), TypeError);
  assert.deepEqual(swapped, ['a', 1]);
  assert.ok(wrongItem instanceof MapRun);
  assert.equal(await wrongTask, 5);
});

test('the asyncio toolbox infers its values', async () => {
  const queue = new Queue<number>(2);
  queue.putNowait(1);
  const got = queue.get();
  const okGet: Equal<typeof got, Promise<number>> = true;
  const shieldedTask = shield(async () => 'kept');
  const okShield: Equal<typeof shieldedTask, Task<string>> = true;
  const inScope = shielded(() => 7);
  const okShielded: Equal<typeof inScope, number> = true;
  const index = new Barrier(1).wait();
  const okIndex: Equal<typeof index, Promise<number>> = true;
  const task = createTask(async () => true);
  const result = await wait([task, async () => 'job']);
  const okWait: Equal<typeof result.done, Set<Task<boolean> | Task<string>>> = true;
  const promises = await wait([Promise.resolve(1)], { returnWhen: 'FIRST_COMPLETED', timeout: 10 });
  const okPromises: Equal<typeof promises.pending, Set<Promise<number>>> = true;
  const flag = new Event().wait();
  const okFlag: Equal<typeof flag, Promise<true>> = true;
  new Event().set();
  assert.deepEqual(
    [okGet, okShield, okShielded, okIndex, okWait, okFlag, okPromises, await got, await shieldedTask, inScope, await index, result.done.size],
    [true, true, true, true, true, true, true, 1, 'kept', 7, 0, 2],
  );
});

test('a misspelled or mistyped option is a compile error, for every options object in core', async () => {
  const a = aString();
  const b = aNumber();
  // @ts-expect-error -- returnExceptions, not returnException (issue 12)
  assert.throws(() => gather([a, b], { returnException: true }), /Unknown option `returnException`/);
  // @ts-expect-error -- limit is a number (issue 12)
  assert.throws(() => gather([a, b], { limit: '10' }), /Expected `limit`/);
  // @ts-expect-error -- returnExceptions is a boolean
  assert.throws(() => gather(new Set([a]), { returnExceptions: 'yes' }), /Expected `returnExceptions`/);
  // two plain values stay the variadic form, as at run time (a string is no collection of inputs)
  const pair = await gather('abc', { x: 1 });
  assert.deepEqual(pair, ['abc', { x: 1 }]);
  // @ts-expect-error -- eager is a boolean
  assert.throws(() => createTask(() => 1, { eager: 'yes' }), /Expected `eager`/);
  // @ts-expect-error -- name is a string
  assert.throws(() => createTask(() => 1, { name: 5 }), /Expected `name`/);
  // @ts-expect-error -- sleep takes { signal }
  assert.throws(() => sleep(1, undefined, { signl: AbortSignal.abort() }), /Unknown option `signl`/);
  // @ts-expect-error -- signal is an AbortSignal
  assert.throws(() => new Semaphore(1).acquire({ signal: 'stop' }), /Expected `signal`/);
  // @ts-expect-error -- TaskGroup takes { signal }
  assert.throws(() => new TaskGroup({ timeout: 5 }), /Unknown option `timeout`/);
  // @ts-expect-error -- asCompleted's timeout is a number
  assert.throws(() => asCompleted([a], { timeout: '5' }), /Expected `timeout`/);
  // @ts-expect-error -- waitFor takes { signal }
  assert.throws(() => waitFor(a, 10, { timeout: 5 }), /Unknown option `timeout`/);
  // @ts-expect-error -- timeout() takes { signal }
  assert.throws(() => timeout(10, () => 1, { signal: true }), /Expected `signal`/);
  // @ts-expect-error -- map's concurrency is a number
  assert.throws(() => map([1], (n) => n, { concurrency: '2' }), /Expected `concurrency`/);
  // @ts-expect-error -- shield takes { signal }
  assert.throws(() => shield(a, { signals: AbortSignal.abort() }), /Unknown option `signals`/);
  // @ts-expect-error -- returnWhen is one of three names
  assert.throws(() => wait([a], { returnWhen: 'FIRST' }), /Expected `returnWhen`/);
  // @ts-expect-error -- wait's timeout is a number
  assert.throws(() => wait([a], { timeout: '5' }), /Expected `timeout`/);
  // @ts-expect-error -- the waits of Event, Lock, Condition, Barrier and Queue take { signal }
  assert.throws(() => new Event().wait({ timeout: 5 }), /Unknown option `timeout`/);
  // @ts-expect-error -- signal is an AbortSignal
  assert.throws(() => new Lock().acquire({ signal: 1 }), /Expected `signal`/);
  // @ts-expect-error -- Condition#wait takes { signal }
  await assert.rejects(new Condition().wait({ sgnal: 1 }), /needs the lock/);
  // @ts-expect-error -- Barrier#wait takes { signal }
  assert.throws(() => new Barrier(2).wait({ timeout: 1 }), /Unknown option `timeout`/);
  // @ts-expect-error -- Queue#put takes { signal }
  assert.throws(() => new Queue<number>().put(1, { timeout: 1 }), /Unknown option `timeout`/);
  // @ts-expect-error -- a Queue<number> takes numbers
  new Queue<number>().putNowait('1');
  // @ts-expect-error -- compare is a function
  assert.throws(() => new PriorityQueue<number>(0, { compare: 5 }), /Expected `compare`/);
});
