import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { BodyDecodeError, BodyTooLargeError, codingOf } from '../../src/http/body.js';
import { readBody } from './_read-body.js';

function source(chunks: Buffer[]): Readable {
  return Readable.from(chunks, { objectMode: false });
}

async function readAll(body: Readable, encoding?: string, maxBytes = Infinity): Promise<{ text: string; bytes: number }> {
  const parts: Buffer[] = [];
  const { bytes } = await readBody(body, { contentEncoding: encoding, maxBytes, onChunk: (c) => (parts.push(c), false) });
  return { text: Buffer.concat(parts).toString('utf8'), bytes };
}

const TEXT = 'hello, compressed world '.repeat(500);

test('body: identity, gzip, x-gzip, deflate (zlib and raw) and br decode', async () => {
  const cases: [string | undefined, Buffer][] = [
    [undefined, Buffer.from(TEXT)],
    ['identity', Buffer.from(TEXT)],
    ['gzip', gzipSync(TEXT)],
    ['X-GZIP', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
  ];
  for (const [encoding, data] of cases) {
    // split into small chunks to exercise the streaming path
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += 100) chunks.push(data.subarray(i, i + 100));
    const { text, bytes } = await readAll(source(chunks), encoding);
    assert.equal(text, TEXT, String(encoding));
    assert.equal(bytes, Buffer.byteLength(TEXT));
  }
});

test('body: maxBytes counts decoded bytes; a gzip bomb stops at the limit', async () => {
  const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
  assert.ok(bomb.length < 100_000);
  const stream = source([bomb]);
  let seen = 0;
  await assert.rejects(
    readBody(stream, { contentEncoding: 'gzip', maxBytes: 1024 * 1024, onChunk: (c) => ((seen += c.length), false) }),
    BodyTooLargeError,
  );
  assert.equal(seen, 1024 * 1024);
  assert.equal(stream.destroyed, true);
});

test('body: exactly maxBytes is fine; one more is too large', async () => {
  assert.equal((await readAll(source([Buffer.alloc(10)]), undefined, 10)).bytes, 10);
  await assert.rejects(readAll(source([Buffer.alloc(6), Buffer.alloc(5)]), undefined, 10), BodyTooLargeError);
});

test('body: early stop resolves incomplete and lets the body go', async () => {
  const stream = new Readable({ read() {} });
  stream.push(Buffer.from('first'));
  const outcome = await readBody(stream, { maxBytes: Infinity, onChunk: () => true });
  assert.deepEqual(outcome, { bytes: 5, complete: false });
  assert.equal(stream.destroyed, true); // no Content-Length: never drained, destroyed
});

test('body: corrupt compressed data and unknown codings are decode errors', async () => {
  await assert.rejects(readAll(source([Buffer.from('definitely not gzip')]), 'gzip'), BodyDecodeError);
  await assert.rejects(readAll(source([Buffer.from('x')]), 'zstd'), /unsupported Content-Encoding "zstd"/);
  assert.throws(() => codingOf('gzip, br'), BodyDecodeError);
  assert.equal(codingOf('identity'), 'identity');
});

test('body: a stream error is passed on as is', async () => {
  const stream = new Readable({
    read() {
      this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    },
  });
  await assert.rejects(readAll(stream), { code: 'ECONNRESET' });
});

test('body: an onChunk that throws fails the read and destroys the body', async () => {
  const stream = source([Buffer.from('a'), Buffer.from('b')]);
  await assert.rejects(
    readBody(stream, {
      maxBytes: Infinity,
      onChunk: () => {
        throw new Error('consumer bug');
      },
    }),
    /consumer bug/,
  );
  assert.equal(stream.destroyed, true);
});
