// `gather fetch --unordered` and `--window` (issue 8): rows as they finish with their input index.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer();
});
after(async () => {
  await server.close();
});

describe('gather fetch --unordered / --window', () => {
  it('--unordered writes each row as it finishes, with its input index', async () => {
    const urls = [`${server.url}/delay/300`, `${server.url}/page/1`, `${server.url}/page/2`];
    const result = await cliInProcess(['fetch', '-', '--quiet', '--unordered', '--format', 'jsonl'], urls.join('\n'));
    assert.equal(result.code, 0, result.stderr);
    const rows = parseJsonl(result.stdout);
    assert.equal(rows.at(-1)?.index, 0, 'the slow URL comes last');
    assert.deepEqual(rows.map((row) => row.index).sort(), [0, 1, 2]);
    rows.forEach((row) => assert.equal(row.url, urls[row.index as number]));
  });

  it('rows stay in input order without --unordered, with no index field', async () => {
    const urls = [`${server.url}/delay/100`, `${server.url}/page/1`];
    const result = await cliInProcess(['fetch', '-', '--quiet', '--window', '1', '--format', 'jsonl'], urls.join('\n'));
    assert.equal(result.code, 0, result.stderr);
    const rows = parseJsonl(result.stdout);
    assert.deepEqual(rows.map((row) => row.url), urls);
    assert.equal('index' in rows[0], false);
  });

  it('--window 0 is a usage error that says what is expected', async () => {
    const result = await cliInProcess(['fetch', '-', '--window', '0'], '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--window.*expected a whole number from 1 up/);
  });
});
