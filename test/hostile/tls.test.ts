// Hostile and broken TLS on 127.0.0.1: messages in plain words (issue 10), protocol faults behind
// TLS coded as they are in the clear (issue 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { Agent } from 'undici';
import { fetchAll, type FetchRow } from '../../src/http/index.js';
import { TEST_CERT, TEST_KEY } from './tls-cert.js';

async function serve(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<{ destroy(): void }>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}/`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TLS server with the test certificate whose connections get `onRequest` once a request arrives. */
function tlsServer(onRequest: (socket: TLSSocket) => void): Server {
  const server = createTlsServer({ cert: TEST_CERT, key: TEST_KEY }, (socket) => {
    socket.on('error', () => {});
    socket.once('data', () => onRequest(socket));
  });
  server.on('tlsClientError', () => {});
  return server;
}

async function fetchFrom(url: string, trusted: boolean): Promise<FetchRow> {
  const dispatcher = trusted ? new Agent({ connect: { ca: TEST_CERT } }) : undefined;
  try {
    const [row] = await fetchAll([url], { retryDelay: 1, timeout: 3000, ...(dispatcher ? { dispatcher } : {}) });
    return row!;
  } finally {
    await dispatcher?.close();
  }
}

test('tls: an untrusted certificate and a port that does not speak TLS, each in one plain line', async () => {
  const selfSigned = await serve(tlsServer((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')));
  const plain = await serve(createNetServer((s) => s.on('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'))));
  try {
    const untrusted = await fetchFrom(selfSigned.url, false);
    assert.deepEqual(untrusted.error, { code: 'tls', message: `the certificate of ${selfSigned.url.slice(8, -1)} is self-signed (not trusted)` });
    const cleartext = await fetchFrom(plain.url, false);
    assert.equal(cleartext.error?.code, 'tls');
    assert.match(cleartext.error!.message, /^TLS handshake with 127\.0\.0\.1:\d+ failed \(does the server speak TLS on this port\?\)$/);
  } finally {
    await selfSigned.close();
    await plain.close();
  }
});

test('tls: garbage after the handshake is bad_body, a reset is reset, a good answer is ok', async () => {
  const cases: [string, (socket: TLSSocket) => void, string | null][] = [
    ['garbage', (s) => s.end('NOT HTTP AT ALL\r\n\r\n'), 'bad_body'],
    ['reset', (s) => s.destroy(), 'reset'],
    ['good', (s) => s.end('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 19\r\n\r\n<title>Safe</title>'), null],
  ];
  for (const [name, onRequest, code] of cases) {
    const server = await serve(tlsServer(onRequest));
    try {
      const row = await fetchFrom(server.url, true);
      assert.equal(row.error?.code ?? null, code, `${name}: ${JSON.stringify(row.error)}`);
      if (code === null) assert.equal(row.title, 'Safe');
    } finally {
      await server.close();
    }
  }
});
