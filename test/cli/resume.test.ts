// --resume and --dedupe (issue 11, item 6): interrupted twice and resumed, the file ends with every
// input line exactly once, in order, and nothing finished is fetched again.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dedupeKey } from '../../src/cli/dedupe.js';
import { csvRecords } from '../../src/cli/resume.js';
import { listen, type Running } from '../http/loopback-servers.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';

/** Counts requests per path; `/slow/*` answers after 300 ms unless released. */
const hits = new Map<string, number>();
let server: Running;
const dir = mkdtempSync(join(tmpdir(), 'gather-resume-'));
before(async () => {
  server = await listen(
    createServer((req, res) => {
      const path = req.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const answer = (): void => void res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>${path}</title>`);
      if (path.startsWith('/slow/')) setTimeout(answer, 300);
      else answer();
    }),
  );
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const fetchTo = (file: string, input: string[], extra: string[], signal?: AbortSignal) =>
  cliInProcess(['fetch', '-', '-q', '--no-proxy', '-c', '2', '-o', file, ...extra], input.map((u) => `${u}\n`).join(''), signal);

function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort('SIGINT'), ms);
  return controller.signal;
}

for (const format of ['jsonl', 'csv'] as const) {
  test(`${format}: interrupted twice and resumed, every input exactly once, in order, nothing fetched twice`, async () => {
    hits.clear();
    const file = join(dir, `rows.${format}`);
    // Fast pages and slow ones in turn: each interruption lands while slow pages are in flight.
    const input = Array.from({ length: 12 }, (_, i) => `${server.url}/${i % 3 === 2 ? 'slow' : 'fast'}/${format}/${i}`);
    const rowsOf = (): { url: string; aborted: boolean }[] =>
      format === 'jsonl'
        ? parseJsonl(readFileSync(file, 'utf8')).map((r) => ({ url: r.url as string, aborted: (r.error as { code?: string } | null)?.code === 'aborted' }))
        : csvRecords(readFileSync(file, 'utf8')).slice(1).map((r) => ({ url: r[0]!, aborted: r[9] === 'aborted' }));
    /** Hit counts of the pages the file holds finished rows for: resuming must not fetch them again. */
    const finished = new Map<string, number>();
    const noteFinished = (): void => {
      for (const row of rowsOf()) if (!row.aborted) finished.set(new URL(row.url).pathname, hits.get(new URL(row.url).pathname) ?? 0);
    };
    const first = await fetchTo(file, input, ['-f', format], abortAfter(150));
    assert.equal(first.code, 130);
    noteFinished();
    const second = await fetchTo(file, input, ['-f', format, '--resume'], abortAfter(350));
    assert.equal(second.code, 130);
    assert.ok(rowsOf().some((r) => r.aborted) || rowsOf().length < input.length, 'the second run was cut short too');
    noteFinished();
    const third = await fetchTo(file, input, ['-f', format, '--resume']);
    assert.equal(third.code, 0, third.stderr);
    assert.deepEqual(rowsOf().map((r) => r.url), input);
    assert.ok(rowsOf().every((r) => !r.aborted));
    assert.ok(finished.size > 0 && finished.size < input.length);
    for (const [path, count] of finished) assert.equal(hits.get(path), count, `${path} was fetched again`);
    assert.equal(existsSync(`${file}.resume-partial`), false);
  });
}

test('a half-written last line is repaired: that row is fetched again', async () => {
  const file = join(dir, 'half.jsonl');
  const input = [`${server.url}/fast/half/0`, `${server.url}/fast/half/1`];
  assert.equal((await fetchTo(file, input, ['-f', 'jsonl'])).code, 0);
  const [line0, line1] = readFileSync(file, 'utf8').split('\n');
  writeFileSync(file, `${line0}\n${line1!.slice(0, 20)}`);
  const before = hits.get('/fast/half/1');
  assert.equal((await fetchTo(file, input, ['-f', 'jsonl', '--resume'])).code, 0);
  assert.deepEqual(parseJsonl(readFileSync(file, 'utf8')).map((r) => r.url), input);
  assert.equal(hits.get('/fast/half/1'), before! + 1);
  assert.equal(hits.get('/fast/half/0'), 1);
});

test('a file made from another input is refused with one clear line (exit 2), and left as it was', async () => {
  const file = join(dir, 'other.jsonl');
  assert.equal((await fetchTo(file, [`${server.url}/fast/other/a`], ['-f', 'jsonl'])).code, 0);
  const text = readFileSync(file, 'utf8');
  const refused = await fetchTo(file, [`${server.url}/fast/other/b`], ['-f', 'jsonl', '--resume']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr.split('\n')[0]!, /^gather: cannot resume '.*other\.jsonl': it was written for another input/);
  assert.equal(readFileSync(file, 'utf8'), text);
  const noFile = await cliInProcess(['fetch', '-', '-q', '--resume'], `${server.url}/\n`);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /--resume needs -o FILE/);
});

test('--dedupe: a repeated URL (case, default port, fragment) is fetched once; each line gets a row with duplicateOf', async () => {
  const port = new URL(server.url).port;
  const input = [`${server.url}/fast/d/1`, `HTTP://127.0.0.1:${port}/fast/d/1#x`, `${server.url}/fast/d/2`, `${server.url}/fast/d/1`];
  const result = await cliInProcess(['fetch', '-', '-q', '--no-proxy', '-f', 'jsonl', '--dedupe'], input.join('\n') + '\n');
  const rows = parseJsonl(result.stdout);
  assert.deepEqual(rows.map((r) => [r.url, r.status, r.duplicateOf]), [
    [input[0], 200, undefined],
    [input[1], 200, 0],
    [input[2], 200, undefined],
    [input[3], 200, 0],
  ]);
  assert.equal(hits.get('/fast/d/1'), 1);
  assert.equal(dedupeKey('https://A.test:443/x#f'), dedupeKey('https://a.test/x'));
  assert.notEqual(dedupeKey('https://a.test/X'), dedupeKey('https://a.test/x'));
});

test('a resumed run interrupted before it reaches the kept rows still writes them all', async () => {
  const file = join(dir, 'leftovers.jsonl');
  const input = [`${server.url}/fast/left/0`, `${server.url}/slow/left/1`, `${server.url}/fast/left/2`, `${server.url}/fast/left/3`];
  assert.equal((await fetchTo(file, input, ['-f', 'jsonl'])).code, 0);
  // Mark row 1 as cut short: the resumed run fetches it again (300 ms) and is interrupted meanwhile.
  const rows = parseJsonl(readFileSync(file, 'utf8'));
  rows[1]!.error = { code: 'aborted', message: 'cancelled while waiting for response headers' };
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const resumed = await fetchTo(file, input, ['-f', 'jsonl', '--resume'], abortAfter(100));
  assert.equal(resumed.code, 130);
  const after = parseJsonl(readFileSync(file, 'utf8'));
  assert.deepEqual(after.map((r) => r.url), input);
  assert.deepEqual(after.map((r) => (r.error as { code: string } | null)?.code ?? null), [null, 'aborted', null, null]);
  assert.deepEqual([after[0], after[2], after[3]], [rows[0], rows[2], rows[3]]);
});
