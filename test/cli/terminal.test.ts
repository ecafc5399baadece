// `gather fetch` as a person sees it: under a pseudo-terminal (util-linux `script`), so stdin,
// stdout and stderr are a terminal of a chosen width. Checks the progress bar, colour on and off,
// the table at 80 and 200 columns, and the stdin hint.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { cliInTerminal, plain } from './cli-helpers.js';

let server: Server;
let base: string;
let dir: string;

// Pages whose titles have wide and combining characters; /slow/* answers after 150 ms, /fail/* with 503.
before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    const send = (): void => {
      if (url.startsWith('/fail/')) {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '0' }).end('no');
        return;
      }
      const title = url.includes('wide') ? '🚀 ☕ 日本語のページ — café\u0301 launch notes and a long tail of words' : `Page ${url}`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>${title}</title>`);
    };
    if (url.startsWith('/slow/')) setTimeout(send, 150);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'gather-tty-'));
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function urlFile(name: string, urls: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, urls.join('\n') + '\n');
  return path;
}

/** The table lines of a terminal capture: those that start with a row number. */
function tableLines(output: string): string[] {
  return plain(output)
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1)) // a line overwritten in place shows its last text
    .filter((line) => /^\s*\d+\s+(\d{3}|-)\s/.test(line));
}

describe('gather fetch in a terminal', () => {
  it('draws a bar with done/total, percentage, rate, ETA and ok/failed above nothing but the rows, then erases it', async () => {
    const urls = [...Array.from({ length: 14 }, (_, i) => `${base}/slow/${i}`), `${base}/fail/1`];
    const result = await cliInTerminal(['fetch', await urlFile('bar.txt', urls), '-c', '2', '-r', '0'], { columns: 100 });
    assert.equal(result.code, 1, result.output);
    const frames = plain(result.output).split(/[\r\n]/).filter((line) => line.includes('ETA'));
    assert.ok(frames.length >= 3, `at least three frames of the bar:\n${result.output}`);
    const frame = /([█░]{10,}) (\d+)% (\d+)\/15 \| [\d.]+\/s \| ETA (\d+ s|-) \| (\d+) ok, (\d+) failed/;
    const parsed = frames.map((line) => frame.exec(line)).filter((m) => m !== null);
    assert.ok(parsed.length >= 3, frames.join('\n'));
    const somewhere = parsed.find((m) => Number(m[3]) > 0 && Number(m[3]) < 15);
    assert.ok(somewhere, 'a frame mid-run');
    assert.equal(Number(somewhere[2]), Math.floor((Number(somewhere[3]) / 15) * 100), 'the percentage is done/total');
    assert.match(somewhere[4], /^\d+ s$/, 'an ETA once the rate is known');
    // every row arrived, in order, each on its own line
    const rows = tableLines(result.output);
    assert.equal(rows.length, 15, rows.join('\n'));
    assert.match(rows[14], /503/);
    assert.match(plain(result.output), /15 URLs in .*: 14 ok, 1 failed/);
  });

  it('with stdin, whose size is unknown, shows the count, rate, ok/failed and elapsed time, no bar', async () => {
    const urls = Array.from({ length: 8 }, (_, i) => `${base}/slow/${i}`);
    const result = await cliInTerminal(['fetch', '-c', '1', '-f', 'jsonl'], { stdinFrom: await urlFile('stdin.txt', urls) });
    assert.equal(result.code, 0, result.output);
    const frames = plain(result.output).split(/[\r\n]/).filter((line) => / done \| /.test(line));
    assert.ok(frames.length >= 2, result.output);
    for (const frame of frames) assert.match(frame, /^\d+ done \| [\d.]+\/s \| \d+ ok, 0 failed \| \d+ s$/);
    assert.doesNotMatch(plain(result.output), /%|ETA/);
    assert.equal(plain(result.output).split('\n').filter((line) => line.includes('"ok":true')).length, 8, 'every row, above the display');
  });

  it('colours the status by class on a terminal; NO_COLOR and --color never turn it off, --color always wins', async () => {
    const file = await urlFile('colour.txt', [`${base}/a`, `${base}/fail/2`]);
    const coloured = await cliInTerminal(['fetch', file, '-r', '0', '-q']);
    assert.match(coloured.output, /\x1b\[32m {3}200\x1b\[39m/);
    assert.match(coloured.output, /\x1b\[31m {3}503\x1b\[39m/);
    for (const [argv, env] of [[['--color', 'never'], {}], [[], { NO_COLOR: '1' }]] as const) {
      const result = await cliInTerminal(['fetch', file, '-r', '0', '-q', ...argv], { env });
      assert.doesNotMatch(result.output, /\x1b\[3\dm/, `${argv.join(' ')} ${JSON.stringify(env)}`);
      assert.equal(tableLines(result.output).length, 2);
    }
    const forced = await cliInTerminal(['fetch', file, '-r', '0', '-q', '--color', 'always'], { env: { NO_COLOR: '1' } });
    assert.match(forced.output, /\x1b\[32m {3}200/);
  });

  for (const columns of [80, 200]) {
    it(`fits a table to ${columns} columns: long URLs shortened in the middle, wide characters measured`, async () => {
      const long = `${base}/wide/${'deep/'.repeat(30)}the-end.html`;
      const file = await urlFile(`wide-${columns}.txt`, [long, `${base}/short`, 'not a url']);
      const result = await cliInTerminal(['fetch', file, '-q', '--color', 'never'], { columns });
      const lines = tableLines(result.output);
      assert.equal(lines.length, 3, result.output);
      for (const line of lines) assert.ok(stringWidth(line) <= columns - 1, `${stringWidth(line)} columns: ${line}`);
      assert.match(lines[0], /127\.0\.0\.1:\d+…/, 'the host stays visible');
      assert.match(lines[0], /end\.html {2}/, 'the end of the path stays visible');
      assert.match(lines[0], /🚀 ☕ 日本語/);
      // The title column starts at the same screen column on every row, wide characters or not.
      const titleAt = (line: string, title: string): number => stringWidth(line.slice(0, line.indexOf(title)));
      assert.equal(titleAt(lines[0], '🚀'), titleAt(lines[1], 'Page'));
      if (columns === 200) assert.match(lines[0], /launch notes and a long tail of words/);
      else assert.match(lines[0], /…$/);
    });
  }

  it('says it reads the terminal when no input is given, and reads what is typed until Ctrl-D', async () => {
    const result = await cliInTerminal(['fetch', '-q'], {
      type: { after: 'reading URLs from the terminal', text: `${base}/typed\n\x04` },
    });
    assert.equal(result.code, 0, result.output);
    assert.match(plain(result.output), /gather: reading URLs from the terminal, one a line; Ctrl-D ends/);
    assert.match(tableLines(result.output)[0] ?? '', /Page \/typed/);
  });
});
