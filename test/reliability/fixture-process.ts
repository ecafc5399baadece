// The fixture server in its own process (`gather serve`), so that a heavy client run and the server
// do not share one event loop: a stalled server would turn into false timeouts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FixtureProcess {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export function startFixtureProcess(): Promise<FixtureProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let seen = '';
    child.once('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening on (http:\/\/[\d.]+:(\d+))/.exec(seen);
      if (!match) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url: match[1],
        port: Number(match[2]),
        close: async () => {
          child.kill('SIGINT');
          await exited;
        },
      });
    });
  });
}
