// Shared by every core scenario: the job, the inputs, the checks and the one JSON line a scenario
// prints. A scenario is one child process: `node bench/core/<peer>.mjs --mode M --n N --concurrency C`.
import { parseArgs } from 'node:util';

/** The job every peer runs. */
export const job = async (x) => x + 1;

export function options() {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      n: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const n = Number(values.n);
  const concurrency = Number(values.concurrency);
  if (!values.mode || !Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(concurrency) || concurrency < 1) {
    fail(`usage: --mode MODE --n N [--concurrency C], got ${JSON.stringify(values)}`);
  }
  return { mode: values.mode, n, concurrency };
}

/** 0 .. n-1 as a packed array. */
export function range(n) {
  const items = new Array(n);
  for (let i = 0; i < n; i++) items[i] = i;
  return items;
}

/** 0 .. n-1 from an async generator: the same source for every peer of the async-iterable rows. */
export async function* generate(n) {
  for (let i = 0; i < n; i++) yield i;
}

/** The checksum of a correct run: the sum of job(i) for i in 0 .. n-1. */
export const expectedSum = (n) => (n * (n + 1)) / 2;

/** Checks a collected result: length, order (every slot), checksum. */
export function checkArray(results, n) {
  if (!Array.isArray(results)) fail(`expected an array of results, got ${typeof results}`);
  if (results.length !== n) fail(`expected ${n} results, got ${results.length}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (results[i] !== i + 1) fail(`result ${i} is ${results[i]}, expected ${i + 1} (order or value wrong)`);
    sum += results[i];
  }
  return sum;
}

/** An in-order consumer that keeps nothing: each result must be the next one expected. */
export function orderedSink() {
  let count = 0;
  let sum = 0;
  return {
    push(value) {
      if (value !== count + 1) fail(`streamed result ${count} is ${value}, expected ${count + 1} (order or value wrong)`);
      count++;
      sum += value;
    },
    check(n) {
      if (count !== n) fail(`expected ${n} streamed results, got ${count}`);
      return sum;
    },
  };
}

export function fail(message) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
  process.exit(1);
}

/**
 * Runs `body` (which returns the checksum) and prints the scenario's result line. `workMs` is the
 * compared part alone; `wallMs` is since the process started; `maxRssKB` the process's peak RSS.
 */
export async function run(peer, body) {
  const opts = options();
  const started = performance.now();
  let checksum;
  try {
    checksum = await body(opts);
  } catch (error) {
    fail(`${peer} threw: ${error?.stack ?? error}`);
  }
  const workMs = performance.now() - started;
  if (checksum === undefined) fail(`${peer} does not support mode ${opts.mode}`);
  if (checksum !== expectedSum(opts.n)) fail(`checksum ${checksum}, expected ${expectedSum(opts.n)}`);
  const line = {
    ok: true,
    peer,
    mode: opts.mode,
    n: opts.n,
    concurrency: opts.concurrency,
    verified: true,
    checksum,
    workMs: round(workMs),
    wallMs: round(performance.now()),
    maxRssKB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  // Exit now: a peer's leftover timers must not add to the whole-process time.
  process.exit(0);
}

const round = (ms) => Math.round(ms * 100) / 100;
