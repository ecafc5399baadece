// Fuzz (issue 9): whatever bytes a server answers with, in whatever pieces, and whenever it closes,
// the fetcher gives exactly one row with a known code and a one-line message, within its deadline,
// and no unhandled rejection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Socket } from 'node:net';
import { fetchAll, type FetchErrorCode } from '../../src/http/index.js';
import { startRawServer, type RawServer } from './raw-server.js';

const CODES: ReadonlySet<FetchErrorCode> = new Set(['reset', 'timeout', 'too_large', 'too_many_redirects', 'http', 'bad_body', 'unsupported_scheme', 'invalid_url', 'unknown']);

/** What the server does with the next connection: the pieces to write, the pause between them, how it ends. */
interface Script {
  pieces: Uint8Array[];
  gapMs: number;
  ending: 'end' | 'destroy' | 'reset' | 'hold';
}

let current: Script = { pieces: [], gapMs: 0, ending: 'end' };
let server: RawServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

function play(socket: Socket, script: Script): void {
  let i = 0;
  const next = (): void => {
    if (socket.destroyed) return;
    if (i < script.pieces.length) {
      socket.write(script.pieces[i++]!);
      setTimeout(next, script.gapMs);
      return;
    }
    if (script.ending === 'end') socket.end();
    else if (script.ending === 'destroy') socket.destroy();
    else if (script.ending === 'reset') socket.resetAndDestroy();
  };
  next();
}

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startRawServer((socket) => play(socket, current));
});

after(async () => {
  await server.close();
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, []);
});

const text = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const statusLine = fc.oneof(
  fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK', 'HTTP/1.0 302 Found', 'HTTP/1.1 503 Busy', 'HTTP/1.1 000 X', 'HTTP/2 200', 'ICY 200 OK'),
  fc.string({ maxLength: 20 }).map((s) => `HTTP/1.1 ${s}`),
);
const header = fc.oneof(
  fc.constantFrom(
    'Content-Type: text/html',
    'Content-Type: text/html; charset=shift_jis',
    'Content-Length: 20',
    'Content-Length: 0',
    'Content-Length: 99999999',
    'Transfer-Encoding: chunked',
    'Content-Encoding: gzip',
    'Content-Encoding: br',
    'Location: /again',
    'Location: file:///etc/passwd',
    'Retry-After: 0',
    'Connection: close',
  ),
  fc.string({ maxLength: 30 }).map((s) => `X-${s}: v`),
);
const body = fc.oneof(
  fc.constantFrom('<title>Fuzz</title>', '5\r\nhello\r\n0\r\n\r\n', 'ffffffffffffffffff\r\n', '<title>unterminated', '\x1f\x8b\x08\x00garbage'),
  fc.string({ maxLength: 200 }),
);
const response = fc
  .tuple(statusLine, fc.array(header, { maxLength: 6 }), body, fc.boolean())
  .map(([status, headers, content, raw]) => (raw ? text(content) : text(`${status}\r\n${headers.join('\r\n')}\r\n\r\n${content}`)));
const script = fc.record({
  pieces: fc.tuple(response, fc.integer({ min: 1, max: 4 })).map(([bytes, parts]) => {
    const size = Math.ceil(bytes.length / parts) || 1;
    return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  }),
  gapMs: fc.integer({ min: 0, max: 5 }),
  ending: fc.constantFrom<Script['ending']>('end', 'destroy', 'reset', 'hold'),
});

test('fuzz: any bytes, any pieces, any ending: one row, a known code, one line, within the deadline', async () => {
  await fc.assert(
    fc.asyncProperty(script, async (s) => {
      current = s;
      const started = performance.now();
      const rows = await fetchAll([`${server.url}/`], { retryDelay: 1, maxRedirects: 2, timeout: { headers: 300, total: 600 } });
      const elapsed = performance.now() - started;
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      if (row.error) {
        assert.ok(CODES.has(row.error.code), JSON.stringify(row.error));
        assert.doesNotMatch(row.error.message, /\n/);
      }
      assert.ok(elapsed < 2500, `${Math.round(elapsed)} ms`);
    }),
    { numRuns: 60 },
  );
});
