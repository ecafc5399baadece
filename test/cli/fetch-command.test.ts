// `gather fetch` end to end, in-process: formats, exit codes, input handling and clear usage errors.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';

let server: FixtureServer;
let dir: string;

before(async () => {
  server = await startFixtureServer();
  dir = await mkdtemp(join(tmpdir(), 'gather-cli-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function urlFile(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('gather fetch', () => {
  it('writes one JSONL row per URL in input order, skipping blanks and comments, exit 0 when all ok', async () => {
    const file = await urlFile('ok.txt', ['# pages', `${server.url}/delay/60`, '', `${server.url}/html`, `  ${server.url}/page/7  `]);
    const result = await cliInProcess(['fetch', file, '--quiet']);
    assert.equal(result.code, 0, result.stderr);
    const rows = parseJsonl(result.stdout);
    assert.deepEqual(
      rows.map((r) => r.url),
      [`${server.url}/delay/60`, `${server.url}/html`, `${server.url}/page/7`],
    );
    assert.deepEqual(rows.map((r) => r.title), ['Delayed 60 ms', 'Herman Melville - Moby-Dick', 'Page 7']);
    assert.equal(result.stderr, '', 'quiet prints nothing on stderr');
  });

  it('exits 1 when some rows failed, and the summary counts errors by code', async () => {
    const file = await urlFile('mixed.txt', [`${server.url}/html`, `${server.url}/status/404`, 'not a url']);
    const result = await cliInProcess(['fetch', file]);
    assert.equal(result.code, 1);
    const rows = parseJsonl(result.stdout);
    assert.deepEqual(rows.map((r) => (r.error as { code: string } | null)?.code ?? 'ok'), ['ok', 'http', 'invalid_url']);
    assert.match(result.stderr, /3 URLs in .*: 1 ok, 2 failed \(.*http 1.*\)/);
    assert.match(result.stderr, /invalid_url 1/);
    assert.match(result.stderr, /latency p50/);
  });

  it('reads URLs from stdin when no file (or "-") is given', async () => {
    const result = await cliInProcess(['fetch', '-', '--quiet', '--format', 'jsonl'], `${server.url}/page/1\n${server.url}/page/2\n`);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseJsonl(result.stdout).map((r) => r.title), ['Page 1', 'Page 2']);
    const implicit = await cliInProcess(['fetch', '--quiet'], `${server.url}/page/3\n`);
    assert.deepEqual(parseJsonl(implicit.stdout).map((r) => r.title), ['Page 3']);
  });

  it('--format csv writes a header and RFC 4180 records', async () => {
    const file = await urlFile('csv.txt', [`${server.url}/title-entities`, `${server.url}/status/500`]);
    const result = await cliInProcess(['fetch', file, '--format', 'csv', '--quiet', '--retries', '0']);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'url,ok,status,title,final_url,redirects,bytes,time_ms,attempts,error_code,error_message');
    assert.match(lines[1], /^http:\/\/127\.0\.0\.1:\d+\/title-entities,true,200,"Fish & Chips — ""best""",/);
    assert.match(lines[2], /,false,500,.*,http,/);
  });

  it('--format json writes one valid JSON array', async () => {
    const file = await urlFile('json.txt', [`${server.url}/page/1`, `${server.url}/page/2`]);
    const result = await cliInProcess(['fetch', file, '--format', 'json', '--quiet']);
    const rows = JSON.parse(result.stdout) as { title: string }[];
    assert.deepEqual(rows.map((r) => r.title), ['Page 1', 'Page 2']);
  });

  it('--json parses API bodies into a json field', async () => {
    const file = await urlFile('api.txt', [`${server.url}/users/octocat`]);
    const result = await cliInProcess(['fetch', file, '--json', '--quiet']);
    const [row] = parseJsonl(result.stdout);
    assert.equal((row.json as { login: string }).login, 'octocat');
  });

  it('--output writes rows to a file and keeps stdout empty', async () => {
    const file = await urlFile('out.txt', [`${server.url}/page/1`]);
    const output = join(dir, 'rows.jsonl');
    const result = await cliInProcess(['fetch', file, '--output', output, '--quiet']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    assert.equal(parseJsonl(await readFile(output, 'utf8'))[0].title, 'Page 1');
  });

  it('--fail-fast stops at the first failed row (exit 1) and writes nothing after it', async () => {
    const urls = [`${server.url}/page/1`, `${server.url}/status/404`, ...Array.from({ length: 30 }, (_, i) => `${server.url}/delay/200?i=${i}`)];
    const file = await urlFile('failfast.txt', urls);
    const started = performance.now();
    const result = await cliInProcess(['fetch', file, '--fail-fast', '--quiet', '--concurrency', '2']);
    assert.equal(result.code, 1);
    const rows = parseJsonl(result.stdout);
    assert.deepEqual(rows.map((r) => r.status), [200, 404]);
    assert.ok(performance.now() - started < 2000, 'the remaining 30 slow URLs were not fetched');
  });

  it('--concurrency and --per-host bound what the server sees', async () => {
    server.resetStats();
    const file = await urlFile('limits.txt', Array.from({ length: 24 }, (_, i) => `${server.url}/delay/40?i=${i}`));
    const result = await cliInProcess(['fetch', file, '--concurrency', '8', '--per-host', '3', '--quiet']);
    assert.equal(result.code, 0);
    assert.ok(server.stats().maxInFlight <= 3, `max in flight ${server.stats().maxInFlight}`);
  });

  it('--timeout turns a hanging server into a timeout row within the deadline', async () => {
    const file = await urlFile('hang.txt', [`${server.url}/hang`]);
    const started = performance.now();
    const result = await cliInProcess(['fetch', file, '--timeout', '300ms', '--quiet']);
    const [row] = parseJsonl(result.stdout);
    assert.equal((row.error as { code: string }).code, 'timeout');
    assert.ok(performance.now() - started < 2000);
  });

  describe('usage errors: one clear line naming --help, exit 2, nothing fetched', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown flag', ['fetch', '--concurency', '4'], /unknown option '--concurency'/],
      ['a bad number', ['fetch', '--concurrency', 'zero'], /--concurrency.*expected a whole number from 1 up, got "zero"/],
      ['a zero concurrency', ['fetch', '--concurrency', '0'], /expected a whole number from 1 up, got "0"/],
      ['a bad format', ['fetch', '--format', 'xml'], /expected one of table, jsonl, csv, json, got "xml"/],
      ['a bad duration', ['fetch', '--timeout', 'soon'], /expected a duration like 10 \(seconds\), 0\.5, 1500ms, 10s or 2m, got "soon"/],
      ['a zero duration', ['fetch', '-t', '0'], /expected a duration above zero/],
      ['a negative duration', ['fetch', '-t', '-1s'], /expected a duration above zero/],
      ['a header with CR LF', ['fetch', '-H', 'X-A: a\r\nX-B: b'], /'X-A' holds a line break or another control character/],
      ['a header the client sets', ['fetch', '-H', 'Expect: 100-continue'], /'Expect' cannot be set: the HTTP client sets it itself/],
      ['a bad colour mode', ['fetch', '--color', 'sometimes'], /expected one of auto, always, never, got "sometimes"/],
      ['a port out of range', ['serve', '--port', '99999'], /expected a port from 0 to 65535/],
      ['an unknown shell', ['completion', 'fish'], /expected one of bash, zsh, got "fish"/],
      ['a bad header', ['fetch', '--header', 'nocolon'], /expected "Name: value"/],
      ['an unknown command', ['fetchh'], /unknown command 'fetchh'/],
    ];
    for (const [what, argv, message] of cases) {
      it(what, async () => {
        const result = await cliInProcess(argv);
        assert.equal(result.code, 2);
        assert.match(result.stderr, message);
        assert.match(result.stderr, /--help/);
        assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one line: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
        assert.equal(result.stdout, '');
      });
    }

    it('a missing file', async () => {
      const result = await cliInProcess(['fetch', join(dir, 'nope.txt')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /cannot read '.*nope\.txt': no such file/);
    });

    it('a directory instead of a file', async () => {
      const result = await cliInProcess(['fetch', dir]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /is a directory, expected a file of URLs/);
    });

    it('an output file in a folder that does not exist', async () => {
      const file = await urlFile('o.txt', [`${server.url}/page/1`]);
      const result = await cliInProcess(['fetch', file, '--output', join(dir, 'no', 'such', 'out.jsonl')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /cannot write .*its folder does not exist/);
    });
  });

  it('--help and --version answer on stdout with exit 0', async () => {
    const help = await cliInProcess(['fetch', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--concurrency/);
    assert.match(help.stdout, /--fail-fast/);
    const version = await cliInProcess(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('an abort mid-run writes every finished row and returns 130', async () => {
    const urls = [`${server.url}/page/1`, `${server.url}/page/2`, ...Array.from({ length: 5 }, () => `${server.url}/hang`)];
    const file = await urlFile('abort.txt', urls);
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 300);
    const result = await cliInProcess(['fetch', file, '--concurrency', '2'], '', controller.signal);
    assert.equal(result.code, 130);
    const rows = parseJsonl(result.stdout);
    assert.deepEqual(rows.slice(0, 2).map((r) => r.title), ['Page 1', 'Page 2']);
    assert.ok(rows.length >= 3 && rows.length <= 4, `${rows.length} rows: the finished ones and the two in flight`);
    for (const row of rows.slice(2)) assert.equal((row.error as { code: string }).code, 'aborted');
    assert.match(result.stderr, /interrupted/);
  });
});
