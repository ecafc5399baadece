// Helpers for CLI tests: run `gather` in-process with fake streams, or as a real child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';

export const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return () => text;
}

/** Runs the CLI in-process; stdin is `input` (or empty). */
export async function cliInProcess(argv: string[], input = '', signal?: AbortSignal): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await runCli(argv, { stdin: Readable.from([input]), stdout, stderr, signal });
  stdout.end();
  stderr.end();
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out(), stderr: err() };
}

/** Starts `gather` as a child process (TypeScript through tsx), stdin piped. */
export function cliChild(argv: string[]): ChildProcess & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
  return Object.assign(child, { result });
}

/** Parses JSONL output, failing the test on any invalid line. */
export function parseJsonl(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Quotes `arg` for a POSIX shell. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `gather` under a pseudo-terminal of `columns` columns (util-linux `script`), so stdin,
 * stdout and stderr are all that terminal, as for a person at a shell. `type.text` is typed into
 * the terminal once `type.after` has appeared on it (a "\x04" is Ctrl-D); `stdinFrom` redirects
 * stdin from a file instead (stdout and stderr stay the terminal). Resolves with the exit
 * status and everything the terminal showed.
 */
export function cliInTerminal(
  argv: string[],
  options: { columns?: number; env?: NodeJS.ProcessEnv; type?: { after: string; text: string }; stdinFrom?: string } = {},
): Promise<{ code: number; output: string }> {
  let command = [process.execPath, '--import', 'tsx', CLI_MAIN, ...argv].map(shellQuote).join(' ');
  if (options.stdinFrom !== undefined) command += ` < ${shellQuote(options.stdinFrom)}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...options.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR']) if (options.env?.[name] === undefined) delete env[name];
  const child = spawn('script', ['-qfec', `stty cols ${options.columns ?? 80} rows 40; exec ${command}`, '/dev/null'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let typed = false;
  const seen = (chunk: string): void => {
    output += chunk;
    // Typed once the program waits for it; the terminal's line discipline turns \x04 into end-of-file.
    if (options.type && !typed && output.includes(options.type.after)) {
      typed = true;
      child.stdin?.write(options.type.text);
    }
  };
  child.stdout?.setEncoding('utf8').on('data', seen);
  child.stderr?.setEncoding('utf8').on('data', seen);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin?.destroy();
      resolve({ code: code ?? -1, output });
    });
  });
}

/**
 * Terminal output as text: CRLF made LF, "cursor to column 1" and "clear line" made CR (so the
 * text after a line's last CR is what the line shows), other escape sequences removed.
 */
export function plain(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\x1b\[1G|\x1b\[2K/g, '\r')
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
}
