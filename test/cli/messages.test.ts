// What `gather` says and refuses (issues 9 and 10), in-process: the input never destroyed by -o,
// URLs as arguments, an empty input, serve's port errors, --version, --help, completion.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { refuseInputAsOutput } from '../../src/cli/output-file.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';
import { TEST_CERT, TEST_KEY } from '../hostile/tls-cert.js';

let server: FixtureServer;
let dir: string;

before(async () => {
  server = await startFixtureServer();
  dir = await mkdtemp(join(tmpdir(), 'gather-cli-msg-'));
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the output is never one of the inputs (issue 9 item 3)', () => {
  for (const how of ['the same path', 'a symlink to it', 'a hard link to it', 'a --list file']) {
    it(`refuses ${how}: one line, exit 2, the input untouched`, async () => {
      const input = join(dir, `in-${how.replace(/\W+/g, '-')}.txt`);
      const text = `${server.url}/page/1\n${server.url}/page/2\n`;
      await writeFile(input, text);
      let output = input;
      if (how === 'a symlink to it') symlinkSync(input, (output = `${input}.link`));
      if (how === 'a hard link to it') linkSync(input, (output = `${input}.hard`));
      const argv = how === 'a --list file' ? ['fetch', '-l', input, '-o', output] : ['fetch', input, '-o', output];
      server.resetStats();
      const result = await cliInProcess(argv);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `gather: '${output}' is also an input: writing rows there would destroy the URLs before they are read; choose another --output\n`);
      assert.equal(await readFile(input, 'utf8'), text);
      assert.equal(server.stats().requests, 0, 'nothing fetched');
    });
  }

  it('lets a device be both input and output: only a regular file is destroyed by writing', () => {
    assert.doesNotThrow(() => refuseInputAsOutput('/dev/null', [statSync('/dev/null')]));
  });

  it('leaves an existing output file as it was when the run does not start', async () => {
    const output = join(dir, 'keep.jsonl');
    await writeFile(output, 'precious\n');
    const input = join(dir, 'urls-for-keep.txt');
    await writeFile(input, `${server.url}/page/1\n`);
    for (const argv of [['fetch', join(dir, 'missing.txt'), '-o', output], ['fetch', '-t', '0', input, '-o', output]]) {
      const result = await cliInProcess(argv);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(readFileSync(output, 'utf8'), 'precious\n');
    }
  });
});

describe('inputs (issue 10 item 3)', () => {
  it('fetches URLs given as arguments, then files, then --list files, in that order', async () => {
    const file = join(dir, 'mid.txt');
    const list = join(dir, 'list.txt');
    await writeFile(file, `${server.url}/page/2\n`);
    await writeFile(list, `${server.url}/page/4\n`);
    const result = await cliInProcess(['fetch', `${server.url}/page/1`, file, `${server.url}/page/3`, '--list', list, '-q']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseJsonl(result.stdout).map((r) => r.title), ['Page 1', 'Page 2', 'Page 3', 'Page 4']);
  });

  it('warns on stderr when the input holds no URL', async () => {
    const file = join(dir, 'empty.txt');
    await writeFile(file, '# nothing here\n\n   \n');
    for (const quiet of [[], ['-q']]) {
      const result = await cliInProcess(['fetch', file, ...quiet]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^gather: warning: the input held no URL \(blank lines and lines starting with # are skipped\)$/m);
    }
  });
});

describe('--no-downgrade (issue 9 item 6)', () => {
  it('follows an https -> http redirect and marks the row downgraded; with --no-downgrade the row is refused', async () => {
    const secure = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (_req, res) => {
      res.writeHead(301, { location: `${server.url}/page/1` }).end();
    });
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/`;
    try {
      const followed = await cliInProcess(['fetch', secureUrl, '-k', '-q']);
      assert.equal(followed.code, 0, followed.stderr);
      const [row] = parseJsonl(followed.stdout);
      assert.equal(row.title, 'Page 1');
      assert.equal(row.downgraded, true);
      const refused = await cliInProcess(['fetch', secureUrl, '-k', '-q', '--no-downgrade']);
      assert.equal(refused.code, 1);
      const [refusedRow] = parseJsonl(refused.stdout);
      assert.equal(refusedRow.ok, false);
      assert.equal((refusedRow.error as { code: string }).code, 'downgrade');
    } finally {
      secure.closeAllConnections();
      await new Promise((resolve) => secure.close(resolve));
    }
  });
});

describe('serve errors for people (issue 10 item 5)', () => {
  let taken: Server;
  before(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('a port in use is one line and exit 2', async () => {
    const port = (taken.address() as { port: number }).port;
    const result = await cliInProcess(['serve', '--port', String(port)]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `gather: port ${port} is in use; choose another with --port\n`);
  });
});

describe('--version, --help and completion (issues 10 item 6, 14)', () => {
  it('--version is the version of package.json', async () => {
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await cliInProcess(['--version']);
    assert.equal(result.stdout, `${manifest.version}\n`);
  });

  it('--help ends with examples: a file, stdin, CSV to a file, JSON API mode', async () => {
    for (const argv of [['--help'], ['fetch', '--help']]) {
      const { stdout, code } = await cliInProcess(argv);
      assert.equal(code, 0);
      const examples = stdout.slice(stdout.indexOf('Examples:'));
      assert.ok(stdout.trimEnd().endsWith(examples.trimEnd()) && examples.length > 0, stdout);
      for (const shown of [/gather fetch urls\.txt /, /\| gather fetch -/, /-f csv -o pages\.csv/, /gather fetch --json/]) assert.match(examples, shown);
    }
  });

  it('completion bash is valid bash that completes commands, flags and formats', async () => {
    const { stdout, code } = await cliInProcess(['completion', 'bash']);
    assert.equal(code, 0);
    const script = join(dir, 'gather.bash');
    await writeFile(script, stdout);
    execFileSync('bash', ['-n', script]);
    const complete = (words: string[]): string[] =>
      execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _gather; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
        .trim()
        .split('\n');
    assert.deepEqual(complete(['gather', 'fe']), ['fetch']);
    assert.ok(complete(['gather', 'fetch', '--con']).includes('--concurrency'));
    assert.ok(complete(['gather', 'fetch', '--no-']).includes('--no-downgrade'));
    assert.deepEqual(complete(['gather', 'fetch', '--format', 'j']), ['jsonl', 'json']);
  });

  it('completion zsh defines the completion function for every command', async () => {
    const { stdout, code } = await cliInProcess(['completion', 'zsh']);
    assert.equal(code, 0);
    assert.match(stdout, /^#compdef gather/);
    for (const word of ['fetch', 'demo', 'serve', 'completion', '--concurrency', '--color']) assert.ok(stdout.includes(word), word);
  });
});

describe('messages quote what was typed without obeying it', () => {
  it('an escape sequence in a flag value or a file name is shown as symbols', async () => {
    for (const argv of [['fetch', '-t', '\u001b]0;owned\u0007'], ['fetch', 'missing-\u001b[2J.txt']]) {
      const result = await cliInProcess(argv);
      assert.equal(result.code, 2);
      assert.doesNotMatch(result.stderr, /[\u0000-\u0009\u000b-\u001f]/, JSON.stringify(result.stderr));
      assert.match(result.stderr, /\u241b/);
    }
  });
});
