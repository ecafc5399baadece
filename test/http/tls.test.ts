// TLS options and details (issue 11, item 4) against a loopback HTTPS server whose self-signed
// certificate is made at test time by the openssl CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fetchAll, fetchOne } from '../../src/http/index.js';
import { cliInProcess, parseJsonl } from '../cli/cli-helpers.js';
import { selfSignedCertificate, startTls, type Running } from './loopback-servers.js';

let server: Running;
let cert: string;
const dir = mkdtempSync(join(tmpdir(), 'gather-tls-test-'));
before(async () => {
  const credentials = selfSignedCertificate();
  cert = credentials.cert;
  writeFileSync(join(dir, 'ca.pem'), cert);
  server = await startTls(credentials);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a self-signed certificate is a tls error by default', async () => {
  const row = await fetchOne(`${server.url}/`, { proxy: false });
  assert.equal(row.error?.code, 'tls');
  assert.equal(row.tls, undefined);
});

test('insecure: the request succeeds and the row records the TLS version and the certificate expiry', async () => {
  const row = await fetchOne(`${server.url}/`, { proxy: false, insecure: true });
  assert.equal(row.status, 200, JSON.stringify(row.error));
  assert.match(row.tls!.protocol, /^TLSv1\.[23]$/);
  const days = (Date.parse(row.tls!.notAfter) - Date.now()) / 86_400_000;
  assert.ok(days > 28 && days <= 31, `the certificate was made for 30 days, expires in ${days.toFixed(1)}`);
});

test('ca: trusting the certificate itself makes it verify; every row of the origin has tls', async () => {
  const rows = await fetchAll([`${server.url}/a`, `${server.url}/b`], { proxy: false, ca: cert });
  assert.deepEqual(rows.map((r) => [r.status, r.tls?.protocol !== undefined]), [[200, true], [200, true]]);
});

test('CLI: -k and --cacert FILE; --cacert with a missing file is one clear line', async () => {
  for (const flags of [['-k'], ['--cacert', join(dir, 'ca.pem')]]) {
    const result = await cliInProcess(['fetch', '-', '-q', '--no-proxy', '-f', 'jsonl', ...flags], `${server.url}/cli\n`);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const row = parseJsonl(result.stdout)[0]!;
    assert.match((row.tls as { protocol: string }).protocol, /^TLSv1/);
    assert.equal(row.contentType, 'application/json');
  }
  const missing = await cliInProcess(['fetch', '-', '-q', '--cacert', join(dir, 'nope.pem')], `${server.url}/\n`);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read --cacert file '.*nope\.pem': no such file/);
});
