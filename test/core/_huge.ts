import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./_huge-child.ts', import.meta.url));

/** Runs a scenario of `_huge-child.ts` in a fresh Node process and returns its JSON report. */
export function runHuge(
  mode: 'gather' | 'gather-errors' | 'map-stream',
  count: number,
  concurrency = 8,
): Promise<Record<string, number | boolean>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=8192', '--import', import.meta.resolve('tsx'), child, mode, String(count), String(concurrency)],
      { maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${mode} ${count} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Record<string, number | boolean>);
      },
    );
  });
}
