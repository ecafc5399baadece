// `gather` as a real child process: signals, exit codes, and the process ending by itself.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { CLI_MAIN, cliChild, parseJsonl } from './cli-helpers.js';

let server: FixtureServer;
let dir: string;

before(async () => {
  server = await startFixtureServer();
  dir = await mkdtemp(join(tmpdir(), 'gather-cli-proc-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Resolves once `text` appears in the child's stdout. */
function waitForOutput(child: ReturnType<typeof cliChild>, predicate: (stdout: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (predicate(seen)) resolve();
    });
  });
}

describe('gather as a process', () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} mid-run: every finished row is written as valid JSONL/CSV, exit ${status}`, async () => {
      const urls = [...Array.from({ length: 6 }, (_, i) => `${server.url}/page/${i}`), ...Array.from({ length: 4 }, () => `${server.url}/hang`)];
      const file = join(dir, `${signal}.txt`);
      await writeFile(file, urls.join('\n'));
      for (const format of ['jsonl', 'csv'] as const) {
        const child = cliChild(['fetch', file, '--concurrency', '3', '--format', format]);
        await waitForOutput(child, (out) => out.includes('/page/5'));
        child.kill(signal);
        const result = await child.result;
        assert.equal(result.code, status, result.stderr);
        if (format === 'jsonl') {
          const rows = parseJsonl(result.stdout);
          assert.deepEqual(rows.slice(0, 6).map((r) => r.title), ['Page 0', 'Page 1', 'Page 2', 'Page 3', 'Page 4', 'Page 5']);
        } else {
          const lines = result.stdout.trimEnd().split('\n');
          assert.match(lines[0], /^url,ok,status,title/);
          assert.ok(lines.length >= 7, `${lines.length} csv lines`);
          for (const line of lines.slice(1, 7)) assert.match(line, /^http:\/\/127\.0\.0\.1:\d+\/page\/\d,true,200,Page \d,/);
        }
        assert.match(result.stderr, /interrupted/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
      }
    });
  }

  it('a bad flag exits 2 with one clear line and no stack trace', async () => {
    const child = cliChild(['fetch', '--per-host', '-1']);
    child.stdin?.end();
    const result = await child.result;
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--per-host/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('usage errors print one line and nothing from Node (no fd-closing or deprecation warnings)', async () => {
    const file = join(dir, 'same.txt');
    const text = `${server.url}/page/1\n`;
    await writeFile(file, text);
    const runs: Array<[string[], number | undefined]> = [
      [['fetch', file, '-t', '0.4', '-t', '0'], undefined],
      [['fetch', file, '-o', file], undefined],
      // stdin redirected from the output file: the same inode
      [['fetch', '-', '-o', file], openSync(file, 'r')],
    ];
    for (const [argv, stdinFd] of runs) {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...argv], { stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const [code] = (await once(child, 'close')) as [number];
      if (stdinFd !== undefined) closeSync(stdinFd);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
      assert.doesNotMatch(stderr, /Warning|DEP0|unexpected error/);
      assert.equal(readFileSync(file, 'utf8'), text, 'the input is intact');
    }
  });

  it('reads a FIFO given as a file, and stops cleanly on --fail-fast with the FIFO still open', { timeout: 30_000 }, async () => {
    const fifo = join(dir, 'urls.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = cliChild(['fetch', fifo, '--fail-fast', '-r', '0', '-q']);
    child.stdin?.end();
    // The writer keeps the FIFO open after the failing URL: gather must not wait for its end.
    const writer = createWriteStream(fifo);
    writer.write(`${server.url}/page/1\n${server.url}/status/404\n`);
    const result = await child.result;
    writer.destroy();
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(parseJsonl(result.stdout).map((r) => r.status), [200, 404]);
    assert.equal(result.stderr, '');
  });

  // Before the fix both hung until the writer wrote again: a timeout makes a regression fail, not hang.
  it('stops at once with stdin still open and idle: --fail-fast, and Ctrl-C', { timeout: 30_000 }, async () => {
    const failFast = cliChild(['fetch', '--fail-fast', '-r', '0', '-q']);
    failFast.stdin?.write(`${server.url}/page/1\n${server.url}/status/404\n`); // and no end: `tail -f urls | gather fetch`
    const stopped = await failFast.result;
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.equal(parseJsonl(stopped.stdout).length, 2);

    const interrupted = cliChild(['fetch', '-r', '0', '-q', '-', `${server.url}/page/9`]);
    interrupted.stdin?.write(`${server.url}/page/1\n`);
    await waitForOutput(interrupted, (out) => out.includes('/page/1'));
    interrupted.kill('SIGINT');
    const result = await interrupted.result;
    assert.equal(result.code, 130, result.stderr);
    assert.doesNotMatch(result.stderr, /Error|at /);
  });

  it('reads stdin through a pipe and exits by itself when done', async () => {
    const child = cliChild(['fetch', '--quiet']);
    child.stdin?.end(`${server.url}/page/1\n${server.url}/status/503?retryAfter=0\n`);
    const result = await child.result;
    assert.equal(result.code, 1);
    const rows = parseJsonl(result.stdout);
    assert.equal(rows.length, 2);
    assert.equal(rows[1].status, 503);
  });

  it('gather demo prints the table and the summary and exits 0', async () => {
    const child = cliChild(['demo']);
    child.stdin?.end();
    const result = await child.result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Herman Melville - Moby-Dick/);
    assert.match(result.stdout, /Привет, мир/);
    for (const code of ['http', 'refused', 'dns', 'timeout', 'unsupported_scheme', 'invalid_url']) {
      assert.match(result.stdout, new RegExp(code));
    }
    assert.match(result.stderr, /12 URLs in .*: 6 ok, 6 failed/);
  });

  it('gather serve prints its address, serves, and stops on SIGINT', async () => {
    const child = cliChild(['serve']);
    let address = '';
    await waitForOutput(child, (out) => {
      address = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
      return address !== '';
    });
    const response = await fetch(`${address}/html`, { headers: { connection: 'close' } });
    assert.match(await response.text(), /<title>Herman Melville - Moby-Dick<\/title>/);
    child.kill('SIGINT');
    const result = await child.result;
    assert.equal(result.code, 0);
  });
});
