// The uneven workloads real URL lists have (issue 8), one child process per measurement:
//   node bench/http/uneven.mjs --workload hang|slow|hosts|lognormal --client gather|undici|ideal|list-schedule
//        --base URL --size smoke|quick|full [--layout grouped|interleaved]
// The URL list is derived from (workload, size, base) alone, so every client gets the same list.
// Prints one JSON line: workMs is the in-process time of the fetching (the ideal client prints the
// ideal makespan: total service time / concurrency, or the longest URL, whichever is larger).
import { parseArgs } from 'node:util';
import { fail } from './lib.mjs';

const { values } = parseArgs({
  options: {
    workload: { type: 'string' },
    client: { type: 'string' },
    base: { type: 'string' },
    size: { type: 'string', default: 'quick' },
    layout: { type: 'string', default: 'interleaved' },
  },
});
const { workload, client, base, size, layout } = values;
if (!workload || !client || !base || !['smoke', 'quick', 'full'].includes(size)) {
  fail(`usage: --workload W --client C --base URL --size smoke|quick|full, got ${JSON.stringify(values)}`);
}

/** A deterministic generator (mulberry32): the same list for every client and run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function probit(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const pick = (sizes) => sizes[size];

/**
 * The workload: URLs, concurrency, per-URL deadline, perHost, and each URL's service time in ms
 * (what the ideal makespan is computed from; a hanging URL costs its deadline).
 */
function plan() {
  if (workload === 'hang') {
    // 2% never answer; every URL has the same total deadline.
    const n = pick({ smoke: 100, quick: 500, full: 2_000 });
    const deadline = pick({ smoke: 300, quick: 1_000, full: 3_000 });
    const urls = [];
    const service = [];
    for (let i = 0; i < n; i++) {
      const hangs = i % 50 === 25;
      urls.push(hangs ? `${base}/hang?i=${i}` : `${base}/page/${i + 1}`);
      service.push(hangs ? deadline : 0);
    }
    return { urls, service, concurrency: 64, deadline, hangs: (i) => i % 50 === 25 };
  }
  if (workload === 'slow') {
    // 20% answer after 200 ms.
    const n = pick({ smoke: 50, quick: 300, full: 1_000 });
    const urls = [];
    const service = [];
    for (let i = 0; i < n; i++) {
      const slow = i % 5 === 2;
      urls.push(slow ? `${base}/delay/200?i=${i}` : `${base}/page/${i + 1}`);
      service.push(slow ? 200 : 0);
    }
    return { urls, service, concurrency: 16, deadline: 30_000 };
  }
  if (workload === 'hosts') {
    // 50 hosts (made-up .invalid names, resolved to the fixture by an injected lookup), 50 ms each.
    const perHostCount = pick({ smoke: 2, quick: 10, full: 20 });
    const port = new URL(base).port;
    const urls = [];
    const service = [];
    const at = (h, k) => `http://h${h}.bench.invalid:${port}/delay/50?k=${k}`;
    if (layout === 'grouped') for (let h = 0; h < 50; h++) for (let k = 0; k < perHostCount; k++) urls.push(at(h, k));
    else for (let k = 0; k < perHostCount; k++) for (let h = 0; h < 50; h++) urls.push(at(h, k));
    for (let i = 0; i < urls.length; i++) service.push(50);
    return { urls, service, concurrency: 64, deadline: 30_000, perHost: 2 };
  }
  if (workload === 'lognormal') {
    // Log-normal latency, median 50 ms and p99 2 s (sigma = ln(40) / z(0.99)), capped at 5 s; the
    // quantiles are laid out evenly and shuffled, so the list is the distribution without sampling luck.
    const n = pick({ smoke: 200, quick: 2_000, full: 20_000 });
    // Quick and smoke runs scale every latency down (the same shape, shorter runs).
    const scale = size === 'smoke' ? 0.1 : size === 'quick' ? 0.4 : 1;
    const sigma = Math.log(40) / 2.3263478740408408;
    const latencies = [];
    for (let i = 0; i < n; i++) latencies.push(Math.round(Math.min(5_000, 50 * Math.exp(sigma * probit((i + 0.5) / n))) * scale));
    const next = random(42);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [latencies[i], latencies[j]] = [latencies[j], latencies[i]];
    }
    const urls = latencies.map((ms, i) => `${base}/delay/${ms}?i=${i}`);
    return { urls, service: latencies, concurrency: 256, deadline: 30_000 };
  }
  return fail(`unknown workload ${workload}`);
}

const work = plan();
const { urls, concurrency, deadline } = work;

/** Resolves the made-up hosts of the `hosts` workload to the fixture (never a real resolver). */
function loopbackLookup(hostname, options, callback) {
  if (!hostname.endsWith('.invalid')) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

/** Loaded before the clock starts: module loading is start-up, not fetching. */
const modules =
  client === 'gather'
    ? { fetchAll: (await import('gather/http')).fetchAll }
    : client === 'undici'
      ? { pMap: (await import('p-map')).default, request: (await import('undici')).request }
      : {};

async function runGather() {
  const { fetchAll } = modules;
  const rows = await fetchAll(urls, {
    concurrency,
    timeout: deadline,
    retries: 0,
    ...(work.perHost ? { perHost: work.perHost, lookup: loopbackLookup } : {}),
  });
  return rows.map((row) => ({ url: row.url, status: row.status, timedOut: row.error?.code === 'timeout' }));
}

async function runUndici() {
  const { pMap, request } = modules;
  if (work.perHost) fail('undici + p-map has no per-host limit: the hosts workload compares gather grouped vs interleaved');
  return pMap(
    urls,
    async (url) => {
      try {
        const { statusCode, body } = await request(url, { signal: AbortSignal.timeout(deadline) });
        await body.text();
        return { url, status: statusCode, timedOut: false };
      } catch (error) {
        return { url, status: 0, timedOut: error?.name === 'TimeoutError' || error?.name === 'AbortError' };
      }
    },
    { concurrency },
  );
}

function idealMs() {
  let total = 0;
  let longest = 0;
  for (const ms of work.service) {
    total += ms;
    if (ms > longest) longest = ms;
  }
  const lanes = work.perHost ? Math.min(concurrency, 50 * work.perHost) : concurrency;
  return Math.max(total / lanes, longest);
}

/**
 * The makespan of a perfect in-order dispatcher: `concurrency` slots, each URL started in input
 * order on the first free slot, zero overhead. Above the ideal when a long URL comes late in the list.
 */
function listScheduleMs() {
  if (work.perHost) fail('the list schedule is not computed for per-host limits');
  const free = new Array(Math.min(concurrency, urls.length)).fill(0);
  let makespan = 0;
  for (const ms of work.service) {
    let slot = 0;
    for (let s = 1; s < free.length; s++) if (free[s] < free[slot]) slot = s;
    free[slot] += ms;
    if (free[slot] > makespan) makespan = free[slot];
  }
  return makespan;
}

function check(rows) {
  if (!Array.isArray(rows) || rows.length !== urls.length) return `expected ${urls.length} rows, got ${rows?.length}`;
  for (let i = 0; i < urls.length; i++) {
    const row = rows[i];
    if (row.url !== urls[i]) return `row ${i} is for ${row.url}, expected ${urls[i]} (order)`;
    const hangs = work.hangs?.(i) === true;
    if (hangs ? !row.timedOut : row.status !== 200) return `row ${i} (${row.url}): status ${row.status}, timed out ${row.timedOut}`;
  }
  return undefined;
}

const started = performance.now();
let workMs;
if (client === 'ideal') {
  workMs = idealMs();
} else if (client === 'list-schedule') {
  workMs = listScheduleMs();
} else {
  let rows;
  try {
    rows = client === 'gather' ? await runGather() : client === 'undici' ? await runUndici() : fail(`unknown client ${client}`);
  } catch (error) {
    fail(`${client} threw: ${error?.stack ?? error}`);
  }
  workMs = performance.now() - started;
  const wrong = check(rows);
  if (wrong) fail(wrong);
}
const line = {
  ok: true,
  peer: client,
  workload,
  n: urls.length,
  concurrency,
  verified: true,
  workMs: Math.round(workMs * 100) / 100,
  idealMs: Math.round(idealMs()),
  wallMs: Math.round(performance.now() * 100) / 100,
  maxRssKB: process.resourceUsage().maxRSS,
};
process.stdout.write(`${JSON.stringify(line)}\n`);
process.exit(0);
