// The asyncio toolbox rows (issue 12): 10^6 items through a Queue(1000) with 16 consumers against
// the hand-written pool on the same work, and what eager tasks save. Registered from scenarios.ts,
// which passes in its target helper (this file imports only types from it, so there is no cycle).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Command } from './measure.js';
import type { Context, ScenarioDef, TargetDef } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONSUMERS = 16;
/**
 * Items per run size: 10^6 in a full run, as the issue asks. Quick runs only halve it: at 10^5 a
 * run takes tens of milliseconds and JIT warm-up decides the ratio.
 */
const ITEMS = { full: 1_000_000, quick: 500_000, smoke: 2_000 } as const;
/** Tasks cost far more than queue items (an AbortController and a scope each): a tenth as many. */
const TASKS = { full: 100_000, quick: 50_000, smoke: 200 } as const;

export interface Helpers {
  atMost(row: string, reference: string, limit: number): TargetDef;
}

function asyncio(mode: string, n: (ctx: Context) => number): (ctx: Context) => Command {
  return (ctx) => ({
    cmd: process.execPath,
    args: [join(ROOT, 'bench/core/asyncio.mjs'), '--mode', mode, '--n', String(n(ctx)), '--concurrency', String(CONSUMERS)],
    timeoutMs: 5 * 60_000,
    // the compared part alone: process start-up would hide a 100 ms difference
    parse: (out) => parseScenario(out, 'work'),
  });
}

const items = (ctx: Context): number => ITEMS[ctx.size];
const tasks = (ctx: Context): number => TASKS[ctx.size];
const fmt = (n: number): string => n.toLocaleString('en-US');

const POOL = 'pool (hand-written)';
const QUEUE = 'Queue, await put()';
const HAND_QUEUE = 'queue (hand-written, no cancellation), await put()';
const LAZY = 'createTask (lazy start)';
const EAGER = 'createTask({ eager: true })';

export function asyncioScenarios({ atMost }: Helpers): ScenarioDef[] {
  return [
    {
      id: 'queue-consumers',
      section: 'core',
      title: (ctx) => `${fmt(items(ctx))} items through a Queue(1000), ${CONSUMERS} consumers (in-process time)`,
      metric: 'time',
      inProcess: true,
      peers: [
        { label: POOL, role: 'reference', command: asyncio('pool', items) },
        { label: QUEUE, role: 'gather', command: asyncio('queue', items) },
        { label: HAND_QUEUE, role: 'info', command: asyncio('hand-queue', items) },
        { label: 'Queue, putNowait() while there is room', role: 'info', command: asyncio('queue-nowait', items) },
        { label: 'Queue, consumers use for await', role: 'info', command: asyncio('queue-iter', items) },
      ],
      // The pool awaits once per item; any queue awaits a get() too (and a put(): a JavaScript await
      // always yields, asyncio's does not when nothing blocks), so the floor is the hand-written queue.
      targets: [atMost(QUEUE, POOL, 1.5), atMost(QUEUE, HAND_QUEUE, 1.5)],
    },
    {
      id: 'eager-tasks',
      section: 'core',
      title: (ctx) => `${fmt(tasks(ctx))} tasks whose job answers at once (a cache hit), ${CONSUMERS} at a time (in-process time)`,
      metric: 'time',
      inProcess: true,
      peers: [
        { label: LAZY, role: 'reference', command: asyncio('tasks-lazy', tasks) },
        { label: EAGER, role: 'gather', command: asyncio('tasks-eager', tasks) },
      ],
      targets: [atMost(EAGER, LAZY, 1)],
    },
  ];
}
