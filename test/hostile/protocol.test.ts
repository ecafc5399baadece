// The permanent adversarial suite, protocol level (issue 9): raw servers on 127.0.0.1 misbehave,
// and each case must give one row with the right code, within its deadline, with no unhandled
// rejection and no handle left behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { constants, createBrotliCompress, gzipSync } from 'node:zlib';
import { fetchAll, type FetchOptions, type FetchRow } from '../../src/http/index.js';
import { resources, settleTo } from '../http/helpers.js';
import { response, startRawServer, type RawHandler } from './raw-server.js';

const PAGE = '<!doctype html><html><head><title>T</title></head><body>hello</body></html>';
const HTML = 'Content-Type: text/html; charset=utf-8';
const ok = (body = PAGE, extra: string[] = []): string => response('HTTP/1.1 200 OK', [HTML, `Content-Length: ${Buffer.byteLength(body)}`, ...extra], body);

/** Writes `chunks()` one after another with backpressure until the socket goes away. */
function stream(socket: Socket, head: string, next: () => Buffer | null): void {
  socket.write(head);
  const pump = (): void => {
    for (;;) {
      if (socket.destroyed) return;
      const chunk = next();
      if (chunk === null) return void socket.end();
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

/** 1 GiB of zeros as 1,024 gzip members of 1 MiB each: about 1 MB on the wire, made in 5 ms. */
function gzipBomb(socket: Socket): void {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  let sent = 0;
  stream(socket, response('HTTP/1.1 200 OK', [HTML, 'Content-Encoding: gzip', `Content-Length: ${member.length * 1024}`]), () => (sent++ < 1024 ? member : null));
}

/** 1 GiB of zeros through a streaming brotli compressor, made only as fast as the client reads. */
function brotliBomb(socket: Socket): void {
  socket.write(response('HTTP/1.1 200 OK', [HTML, 'Content-Encoding: br', 'Transfer-Encoding: chunked']));
  const brotli = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
  const zeros = Buffer.alloc(1024 * 1024);
  let fed = 0;
  const feed = (): void => {
    while (fed < 1024 && !socket.destroyed) {
      fed++;
      if (!brotli.write(zeros)) return void brotli.once('drain', feed);
    }
    brotli.end();
  };
  brotli.on('data', (chunk: Buffer) => {
    if (socket.destroyed) return void brotli.destroy();
    socket.write(`${chunk.length.toString(16)}\r\n`);
    if (!socket.write(Buffer.concat([chunk, Buffer.from('\r\n')]))) {
      brotli.pause();
      socket.once('drain', () => brotli.resume());
    }
  });
  brotli.on('end', () => socket.end('0\r\n\r\n'));
  socket.on('close', () => brotli.destroy());
  feed();
}

/** Writes one byte every `ms` for as long as the socket lives. */
function trickle(socket: Socket, head: string, ms: number): void {
  socket.write(head);
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(head.includes('chunked') ? '1\r\nx\r\n' : 'x')), ms);
  socket.on('close', () => clearInterval(timer));
}

const redirectTo = (location: string): RawHandler => (socket) =>
  socket.end(response('HTTP/1.1 302 Found', [`Location: ${location}`, 'Content-Length: 0']));

interface Case {
  name: string;
  handler: RawHandler;
  /** The row's error code; null for an ok row. */
  code: FetchRow['error'] extends infer E ? (E extends { code: infer C } ? C : never) | null : never;
  within: number;
  options?: FetchOptions;
  check?: (row: FetchRow) => void;
  readRequest?: boolean;
}

const FAST: FetchOptions = { retryDelay: 1, timeout: { connect: 2000, headers: 1500, total: 3000 } };

const CASES: Case[] = [
  { name: 'garbage status line', handler: (s) => s.end('HELLO THERE\r\n\r\n'), code: 'bad_body', within: 1000, check: (r) => assert.equal(r.attempts, 1) },
  { name: 'HTTP/0.9 (a body without any head)', handler: (s) => s.end(PAGE), code: 'bad_body', within: 1000 },
  { name: 'close-delimited body', handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Connection: close'], PAGE)), code: null, within: 1000, check: (r) => assert.equal(r.title, 'T') },
  {
    name: 'Content-Length larger than the body, title known: ok (the rest was not needed)',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, `Content-Length: ${PAGE.length + 500}`], PAGE)),
    code: null,
    within: 1000,
    check: (r) => assert.equal(r.title, 'T'),
  },
  {
    name: 'Content-Length larger than the body, no charset (bytes held for the prescan): reset, retried, the title kept',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', ['Content-Type: text/html', `Content-Length: ${PAGE.length + 500}`], PAGE)),
    code: 'reset',
    within: 1500,
    check: (r) => {
      assert.equal(r.title, 'T');
      assert.equal(r.attempts, 3);
    },
  },
  { name: 'Content-Length smaller than the body', handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Content-Length: 10'], PAGE)), code: null, within: 1000 },
  {
    name: 'invalid chunk size',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Transfer-Encoding: chunked'], 'zz\r\nabc\r\n0\r\n\r\n')),
    code: 'bad_body',
    within: 1000,
    check: (r) => assert.equal(r.attempts, 1),
  },
  {
    name: 'overflowing chunk size',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Transfer-Encoding: chunked'], '1ffffffffffffffff\r\nabc')),
    code: 'bad_body',
    within: 1000,
    check: (r) => assert.equal(r.attempts, 1),
  },
  {
    name: 'an unsolicited 100 Continue before the final response (RFC 9110 15.2)',
    handler: (s) => s.end(`HTTP/1.1 100 Continue\r\n\r\n${ok()}`),
    code: null,
    within: 1000,
    check: (r) => {
      assert.equal(r.title, 'T');
      assert.equal(r.attempts, 1);
    },
  },
  {
    name: '100 Continue in a packet of its own, then 103 Early Hints, then the response',
    handler: (s) => {
      s.write('HTTP/1.1 100 Continue\r\n\r\n');
      setTimeout(() => s.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n'), 20);
      setTimeout(() => s.end(ok()), 40);
    },
    code: null,
    within: 1000,
    check: (r) => assert.equal(r.title, 'T'),
  },
  {
    name: 'a body that begins with the text of a 100 Continue is left alone',
    handler: (s) => {
      const body = 'HTTP/1.1 100 Continue\r\n\r\n<title>Body</title>';
      s.write(response('HTTP/1.1 200 OK', [HTML, `Content-Length: ${body.length}`]));
      setTimeout(() => s.end(body), 30);
    },
    code: null,
    within: 1000,
    check: (r) => {
      assert.equal(r.title, 'Body');
      assert.equal(r.bytes, 44);
    },
  },
  {
    name: 'status 000: bad_body in words, never retried',
    handler: (s) => s.end(response('HTTP/1.1 000 Zero', ['Content-Length: 0'])),
    code: 'bad_body',
    within: 1000,
    check: (r) => {
      assert.equal(r.attempts, 1);
      assert.doesNotMatch(r.error!.message, /assert|expression|\n/);
    },
  },
  {
    name: 'two different Content-Lengths',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Content-Length: 5', 'Content-Length: 7'], 'hello')),
    code: 'bad_body',
    within: 1000,
    check: (r) => assert.equal(r.attempts, 1),
  },
  {
    name: 'Transfer-Encoding with Content-Length',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Content-Length: 3', 'Transfer-Encoding: chunked'], `${PAGE.length.toString(16)}\r\n${PAGE}\r\n0\r\n\r\n`)),
    code: 'bad_body',
    within: 1000,
  },
  {
    name: 'slowloris headers: one byte every 50 ms',
    handler: (s) => trickle(s, 'HTTP/1.1 200 OK\r\nX-Slow: ', 50),
    code: 'timeout',
    within: 2500,
    options: { timeout: { headers: 600, total: 3000 } },
  },
  { name: '10,000 headers', handler: (s) => s.end(response('HTTP/1.1 200 OK', [...Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v`), 'Content-Length: 0'])), code: 'too_large', within: 2000 },
  { name: 'a 1 MB header line', handler: (s) => s.end(response('HTTP/1.1 200 OK', [`X-Big: ${'a'.repeat(1024 * 1024)}`, 'Content-Length: 0'])), code: 'too_large', within: 2000 },
  {
    name: 'a body trickled forever',
    handler: (s) => trickle(s, response('HTTP/1.1 200 OK', [HTML, 'Transfer-Encoding: chunked']), 30),
    code: 'timeout',
    within: 2500,
    options: { timeout: { headers: 1000, total: 800 } },
  },
  { name: 'a server that never reads nor answers', handler: () => {}, readRequest: false, code: 'timeout', within: 2500, options: { timeout: { headers: 500, total: 3000 } } },
  {
    name: 'reset before the headers: retried, then reset',
    handler: (s) => s.resetAndDestroy(),
    code: 'reset',
    within: 1500,
    check: (r) => assert.equal(r.attempts, 3),
  },
  {
    name: 'reset after the headers',
    handler: (s) => {
      s.write(response('HTTP/1.1 200 OK', [HTML, 'Content-Length: 1000'], '<html>'));
      setTimeout(() => s.resetAndDestroy(), 10);
    },
    code: 'reset',
    within: 1500,
  },
  { name: 'a 1 GiB gzip bomb', handler: gzipBomb, code: 'too_large', within: 5000, check: (r) => assert.equal(r.bytes, 10 * 1024 * 1024) },
  { name: 'a 1 GiB brotli bomb', handler: brotliBomb, code: 'too_large', within: 5000, check: (r) => assert.equal(r.bytes, 10 * 1024 * 1024) },
  {
    name: 'nested gzip: one layer is undone, as declared',
    handler: (s) => {
      const twice = gzipSync(gzipSync(PAGE));
      s.write(response('HTTP/1.1 200 OK', [HTML, 'Content-Encoding: gzip', `Content-Length: ${twice.length}`]));
      s.end(twice);
    },
    code: null,
    within: 1000,
    check: (r) => assert.equal(r.title, null),
  },
  {
    name: 'stacked codings (gzip, br)',
    handler: (s) => s.end(response('HTTP/1.1 200 OK', [HTML, 'Content-Encoding: gzip, br', 'Content-Length: 4'], 'abcd')),
    code: 'bad_body',
    within: 1000,
    check: (r) => assert.equal(r.attempts, 1),
  },
  { name: 'redirect to file:', handler: redirectTo('file:///etc/passwd'), code: 'unsupported_scheme', within: 1000 },
  { name: 'redirect to ftp:', handler: redirectTo('ftp://127.0.0.1/x'), code: 'unsupported_scheme', within: 1000 },
  { name: 'redirect to javascript:', handler: redirectTo('javascript:alert(1)'), code: 'unsupported_scheme', within: 1000 },
  { name: 'redirect to data:', handler: redirectTo('data:text/html,<title>x</title>'), code: 'unsupported_scheme', within: 1000 },
  { name: 'a redirect loop', handler: redirectTo('/'), code: 'too_many_redirects', within: 1000 },
  {
    name: 'a 50-hop chain stops at maxRedirects',
    handler: (s, request) => {
      const hop = Number(/^GET \/(\d*)/.exec(request)?.[1] || 0);
      redirectTo(`/${hop + 1}`)(s, request);
    },
    code: 'too_many_redirects',
    within: 1500,
    check: (r) => assert.equal(r.redirects, 10),
  },
  { name: 'a Location with a CR in it', handler: (s) => s.end('HTTP/1.1 302 Found\r\nLocation: /a\rb\r\nContent-Length: 0\r\n\r\n'), code: 'bad_body', within: 1000 },
];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
let baseline: string[];

before(() => {
  process.on('unhandledRejection', onUnhandled);
  baseline = resources();
});

after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});

for (const c of CASES) {
  test(`hostile: ${c.name} -> ${c.code ?? 'ok'}`, async () => {
    const server = await startRawServer(c.handler, c.readRequest === false ? { readRequest: false } : {});
    try {
      const started = performance.now();
      const rows = await fetchAll([`${server.url}/`], { ...FAST, ...c.options });
      const elapsed = performance.now() - started;
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(row.error?.code ?? null, c.code, JSON.stringify(row.error));
      assert.equal(row.ok, c.code === null);
      if (row.error) assert.doesNotMatch(row.error.message, /\n|undici|UND_ERR/, 'a message for people');
      assert.ok(elapsed < c.within, `took ${Math.round(elapsed)} ms (deadline ${c.within})`);
      c.check?.(row);
    } finally {
      await server.close();
    }
    assert.deepEqual(await settleTo(baseline), baseline, 'no handle left');
  });
}
