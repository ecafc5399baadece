// The uneven workloads of issue 8: hanging URLs, slow URLs, many hosts with a per-host limit, and a
// heavy-tailed latency; plus `for await` over map. Each HTTP row is measured in-process (the time
// of the fetching alone, module loading excluded) against undici.request + p-map with the same
// deadline, and against the ideal makespan (total service time / concurrency, or the longest URL).
import type { Command } from './measure.js';
import type { Context, PeerDef, ScenarioDef, TargetDef } from './scenarios.js';

/** What this file borrows from scenarios.ts (passed in: the two files import each other otherwise). */
export interface ScenarioHelpers {
  nodeScenario(file: string, args: string[], seconds?: 'wall' | 'work'): Command;
  atMost(row: string, reference: string, limit: number): TargetDef;
  core(file: string, mode: string, n: (ctx: Context) => number): (ctx: Context) => Command;
  arrayN(ctx: Context): number;
  concurrency: number;
}

const UNDICI = 'undici + p-map';
const GATHER = 'gather fetchAll';
const IDEAL = 'ideal makespan';

function baseOf(ctx: Context): string {
  if (!ctx.http) throw new Error('the uneven scenarios need the fixture server (ctx.http)');
  return ctx.http.base;
}

/** The words each workload is shown with, per run size (the sizes live in bench/http/uneven.mjs). */
const WORKLOADS = {
  hang: (size: string) =>
    `${size === 'full' ? '2,000' : size === 'quick' ? '500' : '100'} URLs, 2% never answer, deadline ${size === 'full' ? '3' : size === 'quick' ? '1' : '0.3'} s, concurrency 64`,
  slow: (size: string) => `${size === 'full' ? '1,000' : size === 'quick' ? '300' : '50'} URLs, 20% answer after 200 ms, concurrency 16`,
  lognormal: (size: string) =>
    size === 'full'
      ? '20,000 URLs, log-normal latency (median 50 ms, p99 2 s, capped at 5 s), concurrency 256'
      : `${size === 'quick' ? '2,000' : '200'} URLs, log-normal latency scaled by ${size === 'quick' ? 0.4 : 0.1} (median 50 ms, p99 2 s, cap 5 s before scaling), concurrency 256`,
} as const;

export function unevenScenarios(h: ScenarioHelpers): ScenarioDef[] {
  const uneven =
    (workload: string, client: string, layout = 'interleaved') =>
    (ctx: Context): Command =>
      h.nodeScenario('bench/http/uneven.mjs', ['--workload', workload, '--client', client, '--base', baseOf(ctx), '--size', ctx.size, '--layout', layout], 'work');

  const againstPeers = (workload: keyof typeof WORKLOADS): ScenarioDef => ({
    id: `uneven-${workload}`,
    section: 'http',
    title: (ctx) => `${WORKLOADS[workload](ctx.size)} (in-process time)`,
    metric: 'time',
    inProcess: true,
    peers: [
      { label: UNDICI, role: 'reference', command: uneven(workload, 'undici') },
      { label: GATHER, role: 'gather', command: uneven(workload, 'gather') },
      { label: IDEAL, role: 'info', command: uneven(workload, 'ideal') },
      { label: 'in-order list schedule, zero overhead', role: 'info', command: uneven(workload, 'list-schedule') },
    ],
    targets: [h.atMost(GATHER, UNDICI, 1.1), h.atMost(GATHER, IDEAL, 1.15)],
  });

  const hosts: ScenarioDef = {
    id: 'uneven-hosts',
    section: 'http',
    title: (ctx) =>
      `50 hosts x ${ctx.size === 'full' ? 20 : ctx.size === 'quick' ? 10 : 2} URLs of 50 ms, perHost 2, concurrency 64: input grouped by host vs interleaved (in-process time)`,
    metric: 'time',
    inProcess: true,
    peers: [
      { label: 'gather, interleaved', role: 'reference', command: uneven('hosts', 'gather', 'interleaved') },
      { label: 'gather, grouped by host', role: 'gather', command: uneven('hosts', 'gather', 'grouped') },
      { label: IDEAL, role: 'info', command: uneven('hosts', 'ideal') },
    ],
    targets: [h.atMost('gather, grouped by host', 'gather, interleaved', 1.2)],
  };

  const POOL = 'pool (hand-written, collects)';
  const forAwait: PeerDef = { label: 'gather map, for await', role: 'gather', command: h.core('gather-map-for-await.mjs', 'array', h.arrayN) };
  const mapForAwait: ScenarioDef = {
    id: 'map-for-await',
    section: 'core',
    title: (ctx) => `map over an array of ${h.arrayN(ctx).toLocaleString('en-US')}, concurrency ${h.concurrency}, consumed with for await`,
    metric: 'time',
    peers: [
      { label: POOL, role: 'reference', command: h.core('pool.mjs', 'array', h.arrayN) },
      forAwait,
      { label: 'gather map, for await, unordered', role: 'info', command: h.core('gather-map-for-await.mjs', 'array-unordered', h.arrayN) },
      { label: 'gather map, awaited', role: 'gather', command: h.core('gather-map.mjs', 'array', h.arrayN) },
    ],
    targets: [h.atMost(forAwait.label, POOL, 1.3), h.atMost('gather map, awaited', POOL, 1.2)],
  };

  return [mapForAwait, againstPeers('hang'), againstPeers('slow'), hosts, againstPeers('lognormal')];
}
