// Every benchmark row: which child process measures it, at what size, against which reference, and
// which target it must meet. run.ts measures these; test/bench/smoke.test.ts runs each once, tiny.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, parseScenario, type Command, type Outcome, type ProcessOutput, type Skip } from './measure.js';
import { checkJsonlRows } from './http/setup.js';
import { asyncioScenarios } from './asyncio-scenarios.js';
import type { Tools } from './tools.js';
import { rateScenarios } from './rate-scenarios.js';
import { unevenScenarios } from './scenarios-uneven.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Size = 'full' | 'quick' | 'smoke';
export type Section = 'core' | 'http';

/** Input sizes per run size. */
export const SIZES = {
  full: { array: 1_000_000, big: 10_000_000, pages: 20_000, titleReps: 200, wrkSeconds: 5 },
  quick: { array: 100_000, big: 1_000_000, pages: 2_000, titleReps: 50, wrkSeconds: 2 },
  smoke: { array: 2_000, big: 5_000, pages: 100, titleReps: 3, wrkSeconds: 1 },
} as const;

export const CORE_CONCURRENCY = 16;
export const HTTP_CONCURRENCY = 64;
/** Node 20's Promise.all never settles from this many elements up. */
export const PROMISE_ALL_LIMIT = 2_097_151;

export interface HttpContext {
  base: string;
  urlFile: string;
  urls: string[];
  /** Where the CLI writes its JSONL. */
  outDir: string;
}

export interface Context {
  size: Size;
  tools: Tools;
  /** Present once the fixture server runs (the http section). */
  http?: HttpContext;
}

/** What a row is, for the table, the chart and the targets. */
export type Role = 'reference' | 'gather' | 'library' | 'ceiling' | 'info';

export interface PeerDef {
  label: string;
  role: Role;
  /** Never run: this text stands in the table instead of numbers. */
  fixed?: string;
  command?(ctx: Context): Command | Skip;
}

/** A measured row, as targets see it. */
export interface RowResult {
  seconds: number;
  rssMB: number | null;
}

export interface TargetDef {
  /** The row the target is shown on. */
  row: string;
  text: string;
  /** null when it cannot be decided (a row missing or skipped). */
  evaluate(get: (label: string) => RowResult | undefined): { met: boolean; shown: string } | null;
}

export interface ScenarioDef {
  id: string;
  section: Section;
  title(ctx: Context): string;
  /** time: ratio = seconds / reference seconds (lower is better). rps: ratio = reference seconds / seconds, i.e. requests/s against the reference's (higher is better). */
  metric: 'time' | 'rps';
  /** How many requests one run makes (rps scenarios). */
  requests?(ctx: Context): number;
  /** Long rows (10^7 promises): fewer runs in a full run. */
  heavy?: boolean;
  /** The median is over the in-process time of the compared part instead of the whole process. */
  inProcess?: boolean;
  peers: PeerDef[];
  targets: TargetDef[];
}

const MINUTE = 60_000;
const fmt = (n: number): string => n.toLocaleString('en-US');
const x = (ratio: number): string => `${ratio.toFixed(2)}x`;

function nodeScenario(file: string, args: string[], seconds: 'wall' | 'work' = 'wall'): Command {
  return {
    cmd: process.execPath,
    args: [join(ROOT, file), ...args],
    timeoutMs: 5 * MINUTE,
    parse: (out) => parseScenario(out, seconds),
  };
}

function core(file: string, mode: string, n: (ctx: Context) => number): (ctx: Context) => Command {
  return (ctx) => nodeScenario(`bench/core/${file}`, ['--mode', mode, '--n', String(n(ctx)), '--concurrency', String(CORE_CONCURRENCY)]);
}

const arrayN = (ctx: Context): number => SIZES[ctx.size].array;
const bigN = (ctx: Context): number => SIZES[ctx.size].big;

/** A time target on `row`: at most `limit` times `reference`'s median. */
function atMost(row: string, reference: string, limit: number): TargetDef {
  return {
    row,
    text: `<= ${limit}x ${reference}`,
    evaluate(get) {
      const a = get(row);
      const b = get(reference);
      if (!a || !b) return null;
      const ratio = a.seconds / b.seconds;
      return { met: ratio <= limit, shown: x(ratio) };
    },
  };
}

/** Peak RSS of `row` at most `limit` times `reference`'s. */
function rssAtMost(row: string, reference: string, limit: number): TargetDef {
  return {
    row,
    text: limit === 1 ? `RSS <= ${reference}` : `RSS <= ${limit}x ${reference}`,
    evaluate(get) {
      const a = get(row)?.rssMB;
      const b = get(reference)?.rssMB;
      if (a == null || b == null) return null;
      return { met: a <= b * limit, shown: `${x(a / b)} (${a.toFixed(0)} vs ${b.toFixed(0)} MB)` };
    },
  };
}

/** Shown on a library peer's row: `subject` is faster than it. */
function slowerThan(row: string, subject: string): TargetDef {
  return {
    row,
    text: `${subject} faster`,
    evaluate(get) {
      const peer = get(row);
      const ours = get(subject);
      if (!peer || !ours) return null;
      return { met: ours.seconds < peer.seconds, shown: `${subject} ${x(peer.seconds / ours.seconds)} faster` };
    },
  };
}

/** Requests/s of `subject` at least `factor` times those of `row` (shown on `row` unless it is the subject's own row). */
function rpsAtLeast(shownOn: string, subject: string, peer: string, factor: number): TargetDef {
  return {
    row: shownOn,
    text: shownOn === subject ? `>= ${factor}x ${peer} req/s` : `${subject} >= ${factor}x req/s`,
    evaluate(get) {
      const ours = get(subject);
      const theirs = get(peer);
      if (!ours || !theirs) return null;
      const ratio = theirs.seconds / ours.seconds;
      return { met: ratio >= factor, shown: x(ratio) };
    },
  };
}

const LIBRARIES: [label: string, file: string][] = [
  ['p-map', 'p-map.mjs'],
  ['pMapIterable', 'p-map-iterable.mjs'],
  ['p-limit', 'p-limit.mjs'],
  ['p-queue', 'p-queue.mjs'],
  ['Bluebird.map', 'bluebird.mjs'],
  ['promise-pool', 'promise-pool.mjs'],
  ['async.mapLimit', 'async-maplimit.mjs'],
  ['Effect.forEach', 'effect.mjs'],
];

const POOL = 'pool (hand-written)';
const MAP = 'gather map';

const coreScenarios: ScenarioDef[] = [
  {
    id: 'map-array',
    section: 'core',
    title: (ctx) => `map over an array of ${fmt(arrayN(ctx))}, concurrency ${CORE_CONCURRENCY}`,
    metric: 'time',
    peers: [
      { label: POOL, role: 'reference', command: core('pool.mjs', 'array', arrayN) },
      { label: MAP, role: 'gather', command: core('gather-map.mjs', 'array', arrayN) },
      { label: `gather(jobs, { limit: ${CORE_CONCURRENCY} })`, role: 'info', command: core('gather-promises.mjs', 'array', arrayN) },
      { label: 'Promise.all (unbounded)', role: 'info', command: core('promise-all.mjs', 'array', arrayN) },
      ...LIBRARIES.map(([label, file]): PeerDef => ({ label, role: 'library', command: core(file, 'array', arrayN) })),
    ],
    targets: [atMost(MAP, POOL, 1.3), ...LIBRARIES.map(([label]) => slowerThan(label, MAP))],
  },
  {
    id: 'map-gen-array',
    section: 'core',
    title: (ctx) => `map over an async generator of ${fmt(bigN(ctx))}, concurrency ${CORE_CONCURRENCY}, results collected in order`,
    metric: 'time',
    peers: [
      { label: POOL, role: 'reference', command: core('pool.mjs', 'gen-array', bigN) },
      { label: MAP, role: 'gather', command: core('gather-map.mjs', 'gen-array', bigN) },
    ],
    targets: [atMost(MAP, POOL, 1.1), rssAtMost(MAP, POOL, 1.02)],
  },
  {
    id: 'map-stream',
    section: 'core',
    title: (ctx) => `map over an async generator of ${fmt(bigN(ctx))}, concurrency ${CORE_CONCURRENCY}, consumed in order, nothing kept`,
    metric: 'time',
    peers: [
      { label: POOL, role: 'reference', command: core('pool.mjs', 'stream', bigN) },
      { label: MAP, role: 'gather', command: core('gather-map.mjs', 'stream', bigN) },
      { label: 'pMapIterable', role: 'library', command: core('p-map-iterable.mjs', 'stream', bigN) },
    ],
    // The pool hands each value to a callback; `for await` costs one promise per item on top,
    // which no iterator-based API avoids: this row is measured and shown, its target is the peer's.
    targets: [rssAtMost(MAP, POOL, 1.02), slowerThan('pMapIterable', MAP)],
  },
  {
    id: 'gather-promises',
    section: 'core',
    title: (ctx) => `gather over ${fmt(arrayN(ctx))} promises`,
    metric: 'time',
    peers: [
      { label: 'Promise.all', role: 'reference', command: core('promise-all.mjs', 'promises', arrayN) },
      { label: 'gather', role: 'gather', command: core('gather-promises.mjs', 'promises', arrayN) },
    ],
    targets: [atMost('gather', 'Promise.all', 1.2)],
  },
  {
    id: 'gather-promises-big',
    section: 'core',
    title: (ctx) => `gather over ${fmt(bigN(ctx))} promises`,
    metric: 'time',
    heavy: true,
    peers: [
      { label: 'Promise.all in chunks of 2^20 (hand-written)', role: 'reference', command: core('promise-all.mjs', 'promises-chunked', bigN) },
      { label: 'gather', role: 'gather', command: core('gather-promises.mjs', 'promises', bigN) },
      {
        label: 'Promise.all',
        role: 'info',
        fixed: `never settles (Node 20 limit: ${fmt(PROMISE_ALL_LIMIT)} elements); not run`,
      },
    ],
    targets: [
      {
        row: 'gather',
        text: 'settles, verified',
        evaluate: (get) => (get('gather') ? { met: true, shown: 'settled' } : null),
      },
    ],
  },
  {
    id: 'map-array-big',
    section: 'core',
    title: (ctx) => `map over an array of ${fmt(bigN(ctx))}, concurrency ${CORE_CONCURRENCY} (peak RSS)`,
    metric: 'time',
    peers: [
      { label: POOL, role: 'reference', command: core('pool.mjs', 'array', bigN) },
      { label: MAP, role: 'gather', command: core('gather-map.mjs', 'array', bigN) },
    ],
    targets: [rssAtMost(MAP, POOL, 1.2)],
  },
];

function needHttp(ctx: Context): HttpContext {
  if (!ctx.http) throw new Error('the http scenarios need the fixture server (ctx.http)');
  return ctx.http;
}

function httpClient(file: string): (ctx: Context) => Command {
  return (ctx) => nodeScenario(`bench/http/${file}`, ['--urls', needHttp(ctx).urlFile, '--concurrency', String(HTTP_CONCURRENCY)]);
}

function cliCommand(ctx: Context): Command | Skip {
  const http = needHttp(ctx);
  const main = join(ROOT, 'dist/cli/main.js');
  if (!existsSync(main)) return { skip: 'not built yet (dist/cli/main.js missing)' };
  const output = join(http.outDir, 'cli-rows.jsonl');
  const args = [main, 'fetch', http.urlFile, '--concurrency', String(HTTP_CONCURRENCY), '--format', 'jsonl', '--output', output];
  return {
    cmd: process.execPath,
    args,
    timeoutMs: 5 * MINUTE,
    parse(out: ProcessOutput): Outcome {
      if (out.code !== 0) throw new Error(`the CLI exited ${out.code ?? out.signal}`);
      checkJsonlRows(output, http.urls);
      return { kind: 'sample', sample: { seconds: out.wallMs / 1000, wallMs: out.wallMs, rssKB: out.timeRssKB, extra: {} } };
    },
  };
}

function aiohttpCommand(ctx: Context): Command | Skip {
  const http = needHttp(ctx);
  if (!ctx.tools.python) return { skip: 'skipped: no python3 with aiohttp (apt-get install python3-aiohttp)' };
  return {
    cmd: ctx.tools.python,
    args: [join(ROOT, 'bench/http/aiohttp_scraper.py'), '--urls', http.urlFile, '--concurrency', String(HTTP_CONCURRENCY)],
    timeoutMs: 10 * MINUTE,
    parse: (out) => parseScenario(out),
  };
}

/** The ceiling: wrk rotating over the same pages (rotate.lua), or autocannon on one page without wrk. */
function ceilingCommand(ctx: Context): Command | Skip {
  const http = needHttp(ctx);
  const seconds = SIZES[ctx.size].wrkSeconds;
  const pages = http.urls.length;
  const asSample = (out: ProcessOutput, rps: number): Outcome => ({
    kind: 'sample',
    // Seconds the same `pages` requests take at that rate: comparable with the clients' times.
    sample: { seconds: pages / rps, wallMs: out.wallMs, rssKB: out.timeRssKB, extra: { rps } },
  });
  if (ctx.tools.wrk) {
    return {
      cmd: ctx.tools.wrk,
      args: ['-t2', `-c${HTTP_CONCURRENCY}`, `-d${seconds}s`, '-s', join(ROOT, 'bench/http/rotate.lua'), http.base, '--', String(pages)],
      timeoutMs: (seconds + 30) * 1000,
      parse(out) {
        if (out.code !== 0) throw new Error(`wrk exited ${out.code ?? out.signal}`);
        const rps = Number(out.stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
        if (!(rps > 0)) throw new Error('no Requests/sec in wrk output');
        const bad = out.stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/);
        if (bad) throw new Error(`wrk got ${bad[1]} non-2xx responses`);
        return asSample(out, rps);
      },
    };
  }
  return {
    cmd: process.execPath,
    args: [join(ROOT, 'node_modules/autocannon/autocannon.js'), '-c', String(HTTP_CONCURRENCY), '-d', String(seconds), '-j', `${http.base}/page/1`],
    timeoutMs: (seconds + 30) * 1000,
    parse(out) {
      const result = lastJsonLine(out) as { requests?: { average?: number }; non2xx?: number; errors?: number };
      const rps = result.requests?.average ?? 0;
      if (!(rps > 0)) throw new Error('no requests.average in autocannon output');
      if (result.non2xx || result.errors) throw new Error(`autocannon saw ${result.non2xx} non-2xx and ${result.errors} errors`);
      return asSample(out, rps);
    },
  };
}

const UNDICI = 'undici + p-map';
const CLI = 'gather CLI (fetch)';
const FETCH_ALL = 'gather fetchAll';

function titleCost(client: 'fetchall' | 'undici', bytes: number): (ctx: Context) => Command {
  return (ctx) =>
    nodeScenario(
      'bench/http/title-cost.mjs',
      ['--base', needHttp(ctx).base, '--size', String(bytes), '--reps', String(SIZES[ctx.size].titleReps), '--concurrency', '1', '--client', client],
      'work',
    );
}

const httpScenarios: ScenarioDef[] = [
  {
    id: 'http-fetch',
    section: 'http',
    title: (ctx) => `fetch ${fmt(SIZES[ctx.size].pages)} distinct ~2 KB pages + titles, concurrency ${HTTP_CONCURRENCY}`,
    metric: 'rps',
    requests: (ctx) => SIZES[ctx.size].pages,
    peers: [
      { label: UNDICI, role: 'reference', command: httpClient('undici-pmap.mjs') },
      { label: CLI, role: 'gather', command: cliCommand },
      { label: FETCH_ALL, role: 'gather', command: httpClient('fetchall.mjs') },
      { label: 'fetch + p-map', role: 'library', command: httpClient('fetch-pmap.mjs') },
      { label: 'got + p-map', role: 'library', command: httpClient('got-pmap.mjs') },
      { label: 'aiohttp (the seed, Python)', role: 'library', command: aiohttpCommand },
      { label: 'wrk (ceiling)', role: 'ceiling', command: ceilingCommand },
    ],
    targets: [
      rpsAtLeast(CLI, CLI, UNDICI, 1),
      rpsAtLeast(FETCH_ALL, FETCH_ALL, UNDICI, 1),
      rpsAtLeast('aiohttp (the seed, Python)', CLI, 'aiohttp (the seed, Python)', 3),
      rpsAtLeast('fetch + p-map', CLI, 'fetch + p-map', 3.5),
    ],
  },
  {
    id: 'title-cost',
    section: 'http',
    title: (ctx) => `title of ${fmt(SIZES[ctx.size].titleReps)} pages fetched one at a time, 5 KB vs 5 MB pages (in-process time)`,
    metric: 'time',
    inProcess: true,
    peers: [
      { label: 'fetchAll, 5 KB pages', role: 'reference', command: titleCost('fetchall', 5_000) },
      { label: 'fetchAll, 5 MB pages', role: 'gather', command: titleCost('fetchall', 5_000_000) },
      { label: 'undici + text(), 5 KB pages', role: 'info', command: titleCost('undici', 5_000) },
      { label: 'undici + text(), 5 MB pages', role: 'info', command: titleCost('undici', 5_000_000) },
    ],
    targets: [atMost('fetchAll, 5 MB pages', 'fetchAll, 5 KB pages', 1.5)],
  },
];

export const SCENARIOS: readonly ScenarioDef[] = [
  ...coreScenarios,
  ...asyncioScenarios({ atMost }),
  ...httpScenarios,
  ...unevenScenarios({ nodeScenario, atMost, core, arrayN, concurrency: CORE_CONCURRENCY }),
  ...rateScenarios,
];

/** The ceiling row's label depends on the tool found. */
export function peerLabel(peer: PeerDef, ctx: Context): string {
  if (peer.role === 'ceiling' && !ctx.tools.wrk) return 'autocannon, one page (ceiling)';
  return peer.label;
}

/** Skips that are expected on a machine or in a tree still being built; anything else is a failure. */
export function isExpectedSkip(reason: string): boolean {
  return /^not built yet|^skipped: no /.test(reason);
}
