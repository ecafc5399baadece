// 10,000 URLs spread over every fault the fixture server can throw: exactly one row per input, in
// input order, with the right error code, and nothing left running afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFixtureLookup, refusedPort } from '../../src/fixture/index.js';
import { fetchAll, type FetchRow } from '../../src/http/index.js';
import { startFixtureProcess, type FixtureProcess } from './fixture-process.js';
import { activeResources, settleHandles } from './handles.js';

interface Fault {
  name: string;
  url: (i: number) => string;
  /** The error code expected, or 'ok'. */
  expect: string;
  check?: (row: FetchRow) => void;
}

let server: FixtureProcess;
let refused: number;

before(async () => {
  server = await startFixtureProcess();
  refused = await refusedPort();
  // the server builds its 50 MB gzip bomb on first use: not part of what is measured
  await fetchAll([`${server.url}/bomb`], { maxBytes: 1000 });
});
after(() => server.close());

function faults(): Fault[] {
  const base = server.url;
  return [
    { name: 'page', url: (i) => `${base}/page/${i}`, expect: 'ok', check: (row) => assert.match(row.title ?? '', /^Page \d+$/) },
    { name: 'hang', url: (i) => `${base}/hang?i=${i}`, expect: 'timeout' },
    { name: 'reset', url: (i) => `${base}/reset?i=${i}`, expect: 'reset', check: (row) => assert.equal(row.attempts, 2) },
    { name: 'slow body', url: (i) => `${base}/slow-body?chunks=3&ms=20&i=${i}`, expect: 'ok' },
    { name: 'garbage', url: (i) => `${base}/garbage?i=${i}`, expect: 'ok', check: (row) => assert.equal(row.title, null) },
    { name: 'huge body', url: (i) => `${base}/big/3000000?i=${i}`, expect: 'ok', check: (row) => assert.ok(row.bytes < 1_000_000, `${row.bytes} bytes read`) },
    { name: 'redirect loop', url: (i) => `${base}/redirect-loop?i=${i}`, expect: 'too_many_redirects' },
    { name: '500', url: (i) => `${base}/status/500?i=${i}`, expect: 'http', check: (row) => assert.equal(row.attempts, 1) },
    { name: '503', url: (i) => `${base}/status/503?i=${i}`, expect: 'http', check: (row) => assert.equal(row.attempts, 2) },
    { name: '429 then ok', url: (i) => `${base}/retry-429/1?key=mix-${i}&after=1`, expect: 'ok', check: (row) => assert.equal(row.attempts, 2) },
    { name: 'bad charset', url: (i) => `${base}/charset/bad?i=${i}`, expect: 'ok', check: (row) => assert.equal(row.title, 'Bad charset') },
    { name: 'bomb', url: (i) => `${base}/bomb?i=${i}`, expect: 'too_large' },
    { name: 'refused', url: (i) => `http://127.0.0.1:${refused}/?i=${i}`, expect: 'refused' },
    { name: 'unresolvable', url: (i) => `http://host-${i}.nowhere.invalid/`, expect: 'dns' },
    { name: 'invalid URL', url: (i) => `not a url ${i}`, expect: 'invalid_url' },
    { name: 'unsupported scheme', url: (i) => `ftp://files.invalid/${i}`, expect: 'unsupported_scheme' },
  ];
}

describe('fault mix: 10,000 URLs over every fault', () => {
  it('one row per input, in input order, each with the code of its fault; nothing left open', async () => {
    const kinds = faults();
    const total = 10_000;
    const plan = Array.from({ length: total }, (_, i) => kinds[i % kinds.length]);
    const urls = plan.map((fault, i) => fault.url(i));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const before = activeResources();
    let queries = 0;
    const fixtureLookup = createFixtureLookup({ hosts: {} });
    const lookup: typeof fixtureLookup = (...args: Parameters<typeof fixtureLookup>) => {
      queries++;
      return fixtureLookup(...args);
    };
    const started = performance.now();
    try {
      const rows = await fetchAll(urls, {
        concurrency: 64,
        timeout: 600,
        retries: 1,
        retryDelay: 5,
        maxRetryDelay: 20,
        maxBytes: 200_000,
        lookup,
      });
      const elapsed = performance.now() - started;
      assert.equal(rows.length, total);
      const wrong: string[] = [];
      rows.forEach((row, i) => {
        const fault = plan[i];
        assert.equal(row.url, urls[i], `row ${i} is out of order`);
        const code = row.error?.code ?? 'ok';
        if (code !== fault.expect) wrong.push(`${i} ${fault.name}: got ${code} (${row.error?.message})`);
        else fault.check?.(row);
      });
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} rows with the wrong code`);
      // a hanging server never holds a row much longer than its timeout
      for (const row of rows.filter((r) => r.error?.code === 'timeout')) assert.ok(row.timeMs < 600 + 600, `${row.timeMs} ms`);
      // one lookup per distinct name (the run's DNS cache), none for names that repeat
      assert.ok(queries <= Math.ceil(total / kinds.length) + 5, `${queries} lookups`);
      console.log(`fault mix: ${total} rows in ${(elapsed / 1000).toFixed(2)} s`);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    await settleHandles();
    assert.deepEqual(activeResources().filter((r) => !before.includes(r)), [], 'no socket, timer or handle left');
    assert.deepEqual(unhandled, []);
  });
});
