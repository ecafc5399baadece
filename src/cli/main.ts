#!/usr/bin/env node
/**
 * The `gather` executable: wires the process (argv, stdio, SIGINT/SIGTERM) to {@link runCli}.
 * Ctrl-C aborts the run; the command writes what finished and exits 130 (143 for SIGTERM).
 */
import { runCli } from './program.js';

const controller = new AbortController();
let interrupts = 0;
function onSignal(name: 'SIGINT' | 'SIGTERM'): void {
  interrupts++;
  if (interrupts > 1) process.exit(name === 'SIGTERM' ? 143 : 130); // a second Ctrl-C: stop now
  controller.abort(name);
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));
// A reader that goes away (`gather fetch urls.txt | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

try {
  const status = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = status;
} catch (error) {
  process.stderr.write(`gather: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.GATHER_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  process.exitCode = 1;
}
// Listeners for signals keep nothing alive, but remove them so a finished run exits at once.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
