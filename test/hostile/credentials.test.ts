// Issue 9 item 6 (http side) and issue 10: headers that must not follow a redirect to another
// origin, https -> http downgrades, credentials in URLs, and a port out of range.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Agent } from 'undici';
import { fetchAll } from '../../src/http/index.js';
import { TEST_CERT, TEST_KEY } from './tls-cert.js';

const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
let plain: Server;
let plainUrl: string;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

before(async () => {
  plain = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
    if (to) return res.writeHead(302, { location: to }).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Here</title>');
  });
  plainUrl = `http://127.0.0.1:${await listen(plain)}`;
});

after(() => stop(plain));

test('a user-set Host header is dropped on a redirect to another origin, as Authorization and Cookie are', async () => {
  const other = createServer((req, res) => {
    seen.push({ path: `other${req.url}`, headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Other</title>');
  });
  const otherUrl = `http://127.0.0.1:${await listen(other)}`;
  try {
    seen.length = 0;
    const headers = { host: 'intranet.example', authorization: 'Bearer secret', cookie: 'a=1' };
    const [row] = await fetchAll([`${plainUrl}/start?to=${encodeURIComponent(`${otherUrl}/landing`)}`], { headers });
    assert.equal(row!.title, 'Other');
    assert.equal(seen[0]!.headers.host, 'intranet.example');
    const landing = seen.find((s) => s.path === 'other/landing')!;
    assert.equal(landing.headers.host, otherUrl.slice('http://'.length));
    assert.equal(landing.headers.authorization, undefined);
    assert.equal(landing.headers.cookie, undefined);
  } finally {
    await stop(other);
  }
});

test('https -> http: followed and recorded (downgraded), or refused with refuseDowngrade', async () => {
  const secure = createHttpsServer({ cert: TEST_CERT, key: TEST_KEY }, (req, res) => {
    res.writeHead(301, { location: `${plainUrl}/after-downgrade` }).end();
  });
  const secureUrl = `https://127.0.0.1:${await listen(secure)}`;
  const dispatcher = new Agent({ connect: { ca: TEST_CERT } });
  try {
    const [followed] = await fetchAll([`${secureUrl}/`], { dispatcher });
    assert.equal(followed!.ok, true);
    assert.equal(followed!.title, 'Here');
    assert.equal(followed!.downgraded, true);
    const [refused] = await fetchAll([`${secureUrl}/`], { dispatcher, refuseDowngrade: true });
    assert.equal(refused!.ok, false);
    assert.equal(refused!.error?.code, 'downgrade');
    assert.match(refused!.error!.message, /https to http/);
    const [same] = await fetchAll([`${plainUrl}/x?to=${encodeURIComponent(`${plainUrl}/y`)}`]);
    assert.equal('downgraded' in same!, false, 'no downgrade, no field');
  } finally {
    await dispatcher.close();
    await stop(secure as unknown as Server);
  }
});

test('credentials in a URL are sent as Basic auth and shown as *** in url, finalUrl and messages', async () => {
  seen.length = 0;
  const given = `http://al%40ice:p%3Ass@${plainUrl.slice('http://'.length)}/private?to=%2Fnext`;
  const [row] = await fetchAll([given]);
  assert.equal(row!.ok, true);
  assert.equal(seen[0]!.headers.authorization, `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
  assert.equal(seen[1]!.headers.authorization, seen[0]!.headers.authorization, 'kept on a same-origin redirect');
  assert.equal(row!.url, `http://***@${plainUrl.slice('http://'.length)}/private?to=%2Fnext`);
  assert.equal(row!.finalUrl, `${plainUrl}/next`);
  assert.ok(!JSON.stringify(row).includes('p%3Ass'));
  const [bad] = await fetchAll(['ftp://me:secret@example.invalid/']);
  assert.equal(bad!.error?.code, 'unsupported_scheme');
  assert.ok(!JSON.stringify(bad).includes('secret'), JSON.stringify(bad));
  // A header the caller set wins over the URL's credentials.
  seen.length = 0;
  await fetchAll([given], { headers: { authorization: 'Bearer mine' } });
  assert.equal(seen[0]!.headers.authorization, 'Bearer mine');
});

test('a port out of range says so', async () => {
  const [row] = await fetchAll(['http://example.invalid:99999/']);
  assert.deepEqual(row!.error, { code: 'invalid_url', message: 'invalid URL "http://example.invalid:99999/": port 99999 is out of range (1-65535)' });
  const [other] = await fetchAll(['http://exa mple.invalid/']);
  assert.match(other!.error!.message, /expected an absolute http/);
});
