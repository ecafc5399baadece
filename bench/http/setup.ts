// The HTTP section's shared pieces: the fixture server in its own process, the URL file, and the
// check of the CLI's JSONL output.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('./serve-fixture.mjs', import.meta.url));

export interface ServerStats {
  requests: number;
  maxInFlight: number;
}

export interface FixtureProcess {
  url: string;
  pid: number;
  /** Counters since the last call (the server zeroes them on each). */
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Starts bench/http/serve-fixture.mjs and waits for the URL it prints. */
export function startFixtureProcess(): Promise<FixtureProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [SERVE], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error(`fixture server exited: ${stderr.trim()}`));
      child.once('exit', onExit);
      waiting.push((line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return nextLine().then((line) => {
    const { url } = JSON.parse(line) as { url: string };
    return {
      url,
      pid: child.pid as number,
      async stats() {
        const answer = nextLine();
        child.stdin.write('stats\n');
        return JSON.parse(await answer) as ServerStats;
      },
      async close() {
        child.stdin.end();
        await closed;
      },
    };
  });
}

/** Writes `count` distinct page URLs, /page/1 .. /page/count, one a line. */
export function writeUrlFile(file: string, base: string, count: number): string[] {
  const urls = Array.from({ length: count }, (_, i) => `${base}/page/${i + 1}`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${urls.join('\n')}\n`);
  return urls;
}

/** The title the fixture puts on `/page/:id`. */
export function expectedTitle(url: string): string {
  return `Page ${decodeURIComponent(new URL(url).pathname.split('/')[2] ?? '')}`;
}

/** Checks the CLI's JSONL output: one row per URL, in input order, 200, the right title. */
export function checkJsonlRows(file: string, urls: readonly string[]): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== urls.length) throw new Error(`expected ${urls.length} JSONL rows in ${file}, got ${lines.length}`);
  lines.forEach((line, i) => {
    const row = JSON.parse(line) as { url?: string; status?: number; title?: string | null; error?: unknown };
    if (row.url !== urls[i]) throw new Error(`row ${i} is for ${row.url}, expected ${urls[i]} (order)`);
    if (row.status !== 200) throw new Error(`row ${i} (${row.url}) has status ${row.status}: ${JSON.stringify(row.error)}`);
    if (row.title !== expectedTitle(urls[i])) throw new Error(`row ${i} (${row.url}) has title ${JSON.stringify(row.title)}`);
  });
}
