// Proxies (issue 11, item 3): a loopback forward proxy that counts what it relays; the environment
// variables are set and restored by each test, so no proxy of the machine is ever picked up.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { fetchAll, fetchOne } from '../../src/http/index.js';
import { proxyFailure } from '../../src/http/proxy.js';
import { refusedPort } from './helpers.js';
import { selfSignedCertificate, startEcho, startProxy, startSocks5, startTls, type Proxy, type Running } from './loopback-servers.js';

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];
const saved = new Map(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
function clearEnvironment(): void {
  for (const name of PROXY_VARIABLES) delete process.env[name];
}

let echo: Running;
let tls: Running;
let proxy: Proxy;
before(async () => {
  clearEnvironment();
  echo = await startEcho();
  tls = await startTls(selfSignedCertificate());
  proxy = await startProxy();
});
afterEach(clearEnvironment);
after(async () => {
  await Promise.all([echo.close(), tls.close(), proxy.close()]);
  for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
});

test('proxy: http targets go to the proxy as absolute-URI requests', async () => {
  const before = proxy.forwarded.length;
  const rows = await fetchAll([`${echo.url}/a`, `${echo.url}/b`], { proxy: proxy.url });
  assert.deepEqual(rows.map((r) => r.status), [200, 200]);
  assert.deepEqual(proxy.forwarded.slice(before), [`${echo.url}/a`, `${echo.url}/b`]);
});

test('proxy: https targets go through a CONNECT tunnel, and the row still records the TLS details', async () => {
  const before = proxy.tunnels.length;
  const row = await fetchOne(`${tls.url}/secure`, { proxy: proxy.url, insecure: true });
  assert.equal(row.status, 200, JSON.stringify(row.error));
  assert.deepEqual(proxy.tunnels.slice(before), [`127.0.0.1:${tls.port}`]);
  assert.match(row.tls?.protocol ?? '', /^TLSv1\.[23]$/);
});

test('socks5 proxies relay http and https targets', async () => {
  const socks = await startSocks5();
  try {
    const rows = await fetchAll([`${echo.url}/s`, `${tls.url}/s`], { proxy: socks.url, insecure: true });
    assert.deepEqual(rows.map((r) => r.status), [200, 200], JSON.stringify(rows.map((r) => r.error)));
    assert.deepEqual([...socks.relayed].sort(), [`127.0.0.1:${echo.port}`, `127.0.0.1:${tls.port}`].sort());
  } finally {
    await socks.close();
  }
});

test('HTTP_PROXY is honoured by default; proxy: false and NO_PROXY bypass it', async () => {
  process.env.HTTP_PROXY = proxy.url;
  const before = proxy.forwarded.length;
  assert.equal((await fetchOne(`${echo.url}/env`)).status, 200);
  assert.equal(proxy.forwarded.length - before, 1);
  assert.equal((await fetchOne(`${echo.url}/direct`, { proxy: false })).status, 200);
  process.env.NO_PROXY = '127.0.0.1';
  assert.equal((await fetchOne(`${echo.url}/excluded`)).status, 200);
  assert.equal(proxy.forwarded.length - before, 1);
});

test('a proxy that refuses the tunnel or is not there gives rows with code proxy', async () => {
  const refusing = await startProxy({ refuse: true });
  try {
    const row = await fetchOne(`${tls.url}/x`, { proxy: refusing.url, insecure: true });
    assert.equal(row.error?.code, 'proxy');
    assert.match(row.error?.message ?? '', /refused the tunnel: it answered 403/);
  } finally {
    await refusing.close();
  }
  const port = await refusedPort();
  const rows = await fetchAll([`${echo.url}/y`, `${tls.url}/z`], { proxy: `http://127.0.0.1:${port}`, insecure: true, retries: 0 });
  assert.deepEqual(rows.map((r) => r.error?.code), ['proxy', 'proxy']);
  assert.match(rows[0]!.error!.message, new RegExp(`proxy http://127.0.0.1:${port} failed: ECONNREFUSED`));
});

test('proxyFailure: not the proxy when there is none, or when the failure is elsewhere', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', port: 9 });
  assert.equal(proxyFailure(refused, undefined), undefined);
  assert.equal(proxyFailure(refused, 'http://127.0.0.1:3128'), undefined);
  assert.equal(proxyFailure(refused, 'http://127.0.0.1:9')?.code, 'proxy');
});

test('proxy options: bad URLs and a proxy with your own dispatcher are TypeErrors', () => {
  assert.throws(() => fetchAll([], { proxy: 'ftp://x' }), /`proxy`/);
  assert.throws(() => fetchAll([], { proxy: 'not a url' }), /`proxy`/);
  const dispatcher = { dispatch: () => true } as never;
  assert.throws(() => fetchAll([], { proxy: 'http://127.0.0.1:1', dispatcher }), /no `proxy`, `insecure` or `ca` with your own `dispatcher`/);
});
