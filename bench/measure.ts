// One measurement = one child process. This file spawns it, times it from spawn to exit, reads its
// peak RSS, hands its output to the scenario's parser, and takes medians.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a child printed and how it ended. */
export interface ProcessOutput {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, measured by this (parent) process: the whole-process time. */
  wallMs: number;
  /** Peak RSS from /usr/bin/time when it wrapped the child, else null. */
  timeRssKB: number | null;
}

/** One verified measurement. */
export interface Sample {
  /** The value medians are taken over, in seconds (whole-process unless the scenario says otherwise). */
  seconds: number;
  /** Whole-process wall time. */
  wallMs: number;
  /** The compared part alone, as the child measured it (when it reports one). */
  workMs?: number;
  rssKB: number | null;
  /** Anything else worth keeping in results.json (requests/s, server-side max in flight, ...). */
  extra: Record<string, number>;
}

export type Outcome = { kind: 'sample'; sample: Sample } | { kind: 'skipped'; reason: string };

/** A child to run and how to read its result. `parse` throws when the output is wrong. */
export interface Command {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  timeoutMs: number;
  parse(out: ProcessOutput): Outcome;
}

/** A row that cannot run here: the reason is printed in place of the numbers. */
export interface Skip {
  skip: string;
}

export const TIME_BIN = '/usr/bin/time';
const hasTime = existsSync(TIME_BIN);

/** Runs one child to completion (or to its timeout, which is a failure). */
export function runProcess(command: Command): Promise<ProcessOutput> {
  const dir = hasTime ? mkdtempSync(join(tmpdir(), 'gather-bench-')) : undefined;
  const rssFile = dir ? join(dir, 'rss') : undefined;
  const [cmd, args] = rssFile ? [TIME_BIN, ['-f', '%M', '-o', rssFile, command.cmd, ...command.args]] : [command.cmd, command.args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout kills the whole tree
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk.length > 100_000 ? chunk.slice(-100_000) : chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, command.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      let timeRssKB: number | null = null;
      if (rssFile && dir) {
        const text = existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '';
        // /usr/bin/time writes "Command exited with non-zero status N" before the numbers.
        const last = text.trim().split('\n').pop() ?? '';
        timeRssKB = /^\d+$/.test(last) ? Number(last) : null;
        rmSync(dir, { recursive: true, force: true });
      }
      if (timedOut) {
        reject(new Error(`timed out after ${command.timeoutMs} ms: ${[command.cmd, ...command.args].join(' ')}`));
        return;
      }
      resolve({ stdout, stderr, code, signal, wallMs, timeRssKB });
    });
  });
}

/** Runs one measurement: a sample, a skip, or a thrown Error that says what went wrong. */
export async function measure(command: Command): Promise<Outcome> {
  const out = await runProcess(command);
  try {
    return command.parse(out);
  } catch (error) {
    const tail = (out.stderr.trim() || out.stdout.trim()).split('\n').slice(-15).join('\n');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n  command: ${[command.cmd, ...command.args].join(' ')}\n  exit: ${out.code ?? out.signal}\n${tail}`);
  }
}

/** The last line of stdout that is a JSON object, or an Error naming what was printed. */
export function lastJsonLine(out: ProcessOutput): Record<string, unknown> {
  const lines = out.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      // not JSON after all
    }
  }
  throw new Error(`no JSON result line on stdout (exit ${out.code ?? out.signal})`);
}

/**
 * Reads the result line of a bench scenario (core, the Node HTTP clients, the aiohttp scraper):
 * `{ ok, verified, workMs, maxRssKB, ... }` or `{ ok: true, skipped }`. `seconds` picks what the
 * median is taken over; by default the whole-process time.
 */
export function parseScenario(out: ProcessOutput, seconds: 'wall' | 'work' = 'wall'): Outcome {
  const line = lastJsonLine(out);
  if (line.ok !== true) throw new Error(`scenario failed: ${String(line.error ?? 'no reason given')}`);
  if (typeof line.skipped === 'string') return { kind: 'skipped', reason: line.skipped };
  if (out.code !== 0) throw new Error(`scenario printed ok but exited ${out.code ?? out.signal}`);
  if (line.verified !== true) throw new Error('scenario did not verify its results');
  const workMs = typeof line.workMs === 'number' ? line.workMs : undefined;
  if (seconds === 'work' && workMs === undefined) throw new Error('scenario reported no workMs');
  const extra: Record<string, number> = {};
  for (const [key, value] of Object.entries(line)) {
    if (typeof value === 'number' && !['workMs', 'maxRssKB'].includes(key)) extra[key] = value;
  }
  const rssKB = typeof line.maxRssKB === 'number' ? line.maxRssKB : out.timeRssKB;
  return {
    kind: 'sample',
    sample: { seconds: (seconds === 'work' ? (workMs as number) : out.wallMs) / 1000, wallMs: out.wallMs, workMs, rssKB, extra },
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
