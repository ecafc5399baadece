// Runs an example as a user would (a child process, TypeScript through tsx) with its delays scaled
// down, and returns what it printed and how long it took.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_SCALE = 0.05;

export interface ExampleRun {
  lines: string[];
  stderr: string;
  code: number | null;
  ms: number;
}

export function runExample(name: string, env: Record<string, string> = {}): Promise<ExampleRun> {
  const file = fileURLToPath(new URL(`../../examples/${name}.ts`, import.meta.url));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, GATHER_EXAMPLE_SCALE: String(EXAMPLE_SCALE), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ lines: stdout.trimEnd().split('\n'), stderr, code, ms: performance.now() - started });
    });
  });
}

/** The story seconds an example printed (e.g. "in 2.01s"), from the first line matching `pattern`. */
export function printedSeconds(lines: string[], pattern: RegExp): number {
  const line = lines.find((l) => pattern.test(l));
  const match = line?.match(/(\d+\.\d+)s/);
  if (!match) throw new Error(`no timing matching ${pattern} in:\n${lines.join('\n')}`);
  return Number(match[1]);
}
