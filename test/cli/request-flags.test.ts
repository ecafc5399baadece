// `gather fetch` flags of issue 11 (methods, bodies, cookies), end to end against an echo server.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { requestOptionsFromFlags } from '../../src/cli/request-flags.js';
import { startEcho } from '../http/loopback-servers.js';
import { cliInProcess, parseJsonl } from './cli-helpers.js';

let server: Awaited<ReturnType<typeof startEcho>>;
const dir = mkdtempSync(join(tmpdir(), 'gather-flags-'));
before(async () => {
  server = await startEcho();
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function echoOf(args: string[]): Promise<Record<string, unknown>> {
  const result = await cliInProcess(['fetch', '-', '--quiet', '--no-proxy', '--json', '-f', 'jsonl', ...args], `${server.url}/echo\n`);
  assert.equal(result.code, 0, result.stderr);
  return parseJsonl(result.stdout)[0]!.json as Record<string, unknown>;
}

test('-d sends a form POST, -b cookies; -H Content-Type wins over the form type', async () => {
  assert.deepEqual(await echoOf(['-d', 'a=1', '-d', 'b=2', '-b', 'c=3; d=4']), {
    method: 'POST', path: '/echo', body: 'a=1&b=2', cookie: 'c=3; d=4', contentType: 'application/x-www-form-urlencoded',
  });
  assert.equal((await echoOf(['-d', 'x', '-H', 'Content-Type: text/plain'])).contentType, 'text/plain');
});

test('--data @FILE reads the file without line breaks; --json-body @FILE as is; -X PUT', async () => {
  writeFileSync(join(dir, 'form.txt'), 'a=1\n&b=2\n');
  writeFileSync(join(dir, 'body.json'), '{"x":\n1}\n');
  assert.equal((await echoOf(['--data', `@${join(dir, 'form.txt')}`])).body, 'a=1&b=2');
  const json = await echoOf(['-X', 'put', '--json-body', `@${join(dir, 'body.json')}`]);
  assert.deepEqual([json.method, json.body, json.contentType], ['PUT', '{"x":\n1}\n', 'application/json']);
});

test('a missing @FILE, a body with -X GET, and a bad --proxy are one clear line and exit 2', async () => {
  const missing = await cliInProcess(['fetch', '-', '--quiet', '-d', `@${join(dir, 'nope.txt')}`], `${server.url}/\n`);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read --data file '.*nope\.txt': no such file/);
  const get = await cliInProcess(['fetch', '-', '--quiet', '-X', 'GET', '-d', 'a'], `${server.url}/\n`);
  assert.equal(get.code, 2);
  assert.match(get.stderr, /-X GET cannot send a body/);
  const proxy = await cliInProcess(['fetch', '-', '--quiet', '--proxy', 'ftp://x'], `${server.url}/\n`);
  assert.equal(proxy.code, 2);
  assert.match(proxy.stderr, /expected a proxy URL/);
});

test('requestOptionsFromFlags: nothing asked, nothing set', () => {
  assert.deepEqual(requestOptionsFromFlags({}, undefined), {});
  assert.deepEqual(requestOptionsFromFlags({ proxy: false, rate: 5 }, undefined), { proxy: false, rate: 5 });
});
