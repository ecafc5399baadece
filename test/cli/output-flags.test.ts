// Output flags of issue 11 (item 5): -i, contentType/contentLength, --match-status/--filter-status
// (the summary still counts every row), --fields for csv, table and jsonl.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { collectHeaders } from '../../src/http/response-headers.js';
import { statusFilter, statusListFlag } from '../../src/cli/status-filter.js';
import { fieldsFlag } from '../../src/cli/fields.js';
import type { FetchRow } from '../../src/http/types.js';
import { startEcho } from '../http/loopback-servers.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof startEcho>>;
before(async () => {
  server = await startEcho();
});
after(() => server.close());

const run = (args: string[], urls: string[]) => cliInProcess(['fetch', '-', '--no-proxy', '--retries', '0', ...args], urls.map((u) => `${u}\n`).join(''));

test('-i adds the response headers (lower-case, repeats joined, set-cookie a list); every row has contentType and contentLength', async () => {
  const result = await run(['-q', '-f', 'jsonl', '-i'], [`${server.url}/h`]);
  const row = parseJsonl(result.stdout)[0]!;
  const headers = row.headers as Record<string, unknown>;
  assert.deepEqual(headers['set-cookie'], ['s=1', 's2=2; Path=/']);
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(row.contentType, 'application/json');
  assert.equal(row.contentLength, Number(headers['content-length']));
  const plain = parseJsonl((await run(['-q', '-f', 'jsonl'], [`${server.url}/h`])).stdout)[0]!;
  assert.equal(plain.headers, undefined);
  assert.equal(plain.contentType, 'application/json');
});

test('collectHeaders joins a repeated header with ", " as RFC 9110 allows', () => {
  assert.deepEqual(collectHeaders(['Vary', 'a', 'VARY', 'b', 'X-One', '1']), { vary: 'a, b', 'x-one': '1' });
});

test('--match-status and --filter-status choose the rows written; the summary counts all', async () => {
  const urls = [`${server.url}/status/200`, `${server.url}/status/404`, `${server.url}/status/500`, `${server.url}/status/302`];
  const matched = await run(['-f', 'jsonl', '--match-status', '2xx,404'], urls);
  assert.deepEqual(parseJsonl(matched.stdout).map((r) => r.status), [200, 404]);
  assert.match(matched.stderr, /4 URLs/);
  const filtered = await run(['-q', '-f', 'jsonl', '--filter-status', '5xx,302'], urls);
  assert.deepEqual(parseJsonl(filtered.stdout).map((r) => r.status), [200, 404]);
  const bad = await run(['-q', '--match-status', '2xy'], urls);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected status codes and classes like 200,3xx,404/);
});

test('statusFilter: 0 is "no response"; classes never match 0', () => {
  const keep = statusFilter(statusListFlag('0'), undefined)!;
  assert.equal(keep({ status: 0 } as FetchRow), true);
  assert.equal(statusFilter(statusListFlag('2xx'), undefined)!({ status: 0 } as FetchRow), false);
  assert.equal(statusFilter(undefined, undefined), undefined);
});

test('--fields picks the columns of csv, table and jsonl, in the order given', async () => {
  const url = `${server.url}/f`;
  const csv = await run(['-q', '-f', 'csv', '--fields', 'status,url,content_type,error_code'], [url]);
  assert.equal(csv.stdout, `status,url,contentType,errorCode\n200,${url},application/json,\n`);
  const table = await run(['-q', '-f', 'table', '--fields', 'status,contentType'], [url]);
  assert.deepEqual(table.stdout.split('\n').map((l) => l.trimEnd()), ['status  contentType', '200     application/json', '']);
  const jsonl = await run(['-q', '-f', 'jsonl', '--fields', 'url,ok'], [url]);
  assert.deepEqual(parseJsonl(jsonl.stdout), [{ url, ok: true }]);
  assert.throws(() => fieldsFlag('url,nope'), /unknown field "nope"/);
});
