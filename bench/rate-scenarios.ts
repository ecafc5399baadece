// The rate-limit benchmark (issue 11): `gather fetch --rate 100` against the ideal N / rate seconds,
// with the server-side 1-second windows checked by bench/http/rate-limit.mjs.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Command } from './measure.js';
import type { Context, ScenarioDef, Size } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RATE = 100;
const URLS: Record<Size, number> = { full: 1_000, quick: 300, smoke: 20 };
const IDEAL = 'ideal: N / rate';
const CLI = 'gather fetch --rate 100';
const LIMIT = 1.03;

function rateCommand(mode: 'ideal' | 'gather'): (ctx: Context) => Command {
  return (ctx) => ({
    cmd: process.execPath,
    args: [join(ROOT, 'bench/http/rate-limit.mjs'), '--n', String(URLS[ctx.size]), '--rate', String(RATE), '--mode', mode],
    timeoutMs: 120_000,
    parse: (out) => parseScenario(out, 'work'),
  });
}

/** Registered from scenarios.ts. */
export const rateScenarios: ScenarioDef[] = [
  {
    id: 'http-rate',
    section: 'http',
    title: (ctx) => `--rate ${RATE} over ${URLS[ctx.size].toLocaleString('en-US')} URLs: first to last request start at the server (never more than ${RATE + 1} starts in a second)`,
    metric: 'time',
    inProcess: true,
    peers: [
      { label: IDEAL, role: 'reference', command: rateCommand('ideal') },
      { label: CLI, role: 'gather', command: rateCommand('gather') },
    ],
    targets: [
      {
        row: CLI,
        text: `within ${Math.round((LIMIT - 1) * 100)}% of N / rate`,
        evaluate(get) {
          const ours = get(CLI);
          const ideal = get(IDEAL);
          if (!ours || !ideal) return null;
          const ratio = ours.seconds / ideal.seconds;
          return { met: Math.abs(ratio - 1) <= LIMIT - 1, shown: `${ratio.toFixed(3)}x` };
        },
      },
    ],
  },
];
