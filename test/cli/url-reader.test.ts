import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { LINE_TOO_LONG_PREFIX, readUrlLines } from '../../src/cli/url-reader.js';

async function* chunksOf(chunks: Array<string | Buffer>): AsyncGenerator<string | Buffer> {
  for (const c of chunks) yield c;
}

async function collect(
  chunks: Array<string | Buffer>,
  options?: { maxLineBytes?: number },
): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readUrlLines(chunksOf(chunks), options)) out.push(line);
  return out;
}

/** Split a buffer at the given sizes (cycling), to exercise every chunk boundary. */
function split(buf: Buffer, sizes: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = Math.max(1, sizes.length ? sizes[k++ % sizes.length] : buf.length);
    parts.push(buf.subarray(i, i + n));
    i += n;
  }
  return parts;
}

describe('readUrlLines', () => {
  it('trims, and skips blank lines and # comments', async () => {
    const input = '  https://a.example/  \n\n\t\n# a comment\n   # an indented comment\nhttps://b.example/#frag\n';
    assert.deepEqual(await collect([input]), ['https://a.example/', 'https://b.example/#frag']);
  });

  it('handles CRLF line endings and lone CR lines', async () => {
    assert.deepEqual(await collect(['https://a/\r\n\r\nhttps://b/\r\n']), ['https://a/', 'https://b/']);
  });

  it('drops a UTF-8 BOM at the start, even split across chunks', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    assert.deepEqual(await collect([Buffer.concat([bom, Buffer.from('https://a/\n')])]), ['https://a/']);
    assert.deepEqual(await collect([bom.subarray(0, 1), bom.subarray(1), Buffer.from('# c\nhttps://b/')]), [
      'https://b/',
    ]);
  });

  it('yields a last line without a trailing newline', async () => {
    assert.deepEqual(await collect(['https://a/\nhttps://b/']), ['https://a/', 'https://b/']);
    assert.deepEqual(await collect(['https://a/\r']), ['https://a/']);
    assert.deepEqual(await collect([]), []);
    assert.deepEqual(await collect(['', '\n', '']), []);
  });

  it('is unaffected by chunk boundaries, including inside a multi-byte character', async () => {
    const text = 'https://ex.example/é/日本/😀\r\n# kommentar ü\nhttps://b.example/ß\n';
    const expected = ['https://ex.example/é/日本/😀', 'https://b.example/ß'];
    const buf = Buffer.from(text);
    for (let at = 1; at < buf.length; at++) {
      assert.deepEqual(await collect([buf.subarray(0, at), buf.subarray(at)]), expected, `split at ${at}`);
    }
    assert.deepEqual(await collect(split(buf, [1])), expected);
  });

  it('accepts string chunks (a stream with setEncoding)', async () => {
    assert.deepEqual(await collect(['https://a', '/\nhttps://', 'b/\n']), ['https://a/', 'https://b/']);
  });

  it('yields a line containing NUL as-is instead of throwing', async () => {
    assert.deepEqual(await collect([Buffer.from('https://a/\u0000b\n\u0000\n')]), ['https://a/\u0000b', '\u0000']);
  });

  it('turns invalid UTF-8 into U+FFFD', async () => {
    assert.deepEqual(await collect([Buffer.from([0x68, 0xff, 0x68, 0x0a])]), ['h\ufffdh']);
  });

  it('replaces an over-long line with one marker row that fails URL parsing', async () => {
    const long = 'https://x.example/' + 'a'.repeat(100);
    const lines = await collect([`https://short/\n${long}\nhttps://after/\n`], { maxLineBytes: 32 });
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'https://short/');
    assert.equal(lines[2], 'https://after/');
    assert.equal(lines[1], `${LINE_TOO_LONG_PREFIX}118 bytes, limit 32] https://x.example/aaaaaaaaaaaaaa…`);
    assert.throws(() => new URL(lines[1]));
  });

  it('counts the limit without the line ending, and skips over-long comments', async () => {
    const exact = 'https://a/' + 'b'.repeat(6); // 16 bytes
    assert.deepEqual(await collect([`${exact}\r\n`], { maxLineBytes: 16 }), [exact]);
    const [marker] = await collect([`${exact}c\r\n`], { maxLineBytes: 16 });
    assert.ok(marker.startsWith(`${LINE_TOO_LONG_PREFIX}17 bytes, limit 16]`), marker);
    assert.deepEqual(await collect([`# ${'x'.repeat(100)}\nhttps://a/\n`], { maxLineBytes: 16 }), ['https://a/']);
  });

  it('handles an over-long line arriving in many small chunks', async () => {
    const buf = Buffer.from(`https://a/\n${'z'.repeat(5000)}\r\nhttps://b/`);
    const lines = await collect(split(buf, [1, 7, 3]), { maxLineBytes: 100 });
    assert.equal(lines.length, 3);
    assert.ok(lines[1].startsWith(`${LINE_TOO_LONG_PREFIX}5000 bytes, limit 100] zzz`));
    assert.equal(lines[2], 'https://b/');
  });

  it('keeps the marker short for a huge line under the default 64 KiB limit', async () => {
    const lines = await collect(['https://x/' + 'y'.repeat(1_000_000) + '\n']);
    assert.equal(lines.length, 1);
    assert.ok(lines[0].startsWith(`${LINE_TOO_LONG_PREFIX}1000010 bytes, limit 65536] https://x/yyy`));
    assert.ok(lines[0].length < 300);
  });

  it('rejects a nonsensical maxLineBytes', async () => {
    await assert.rejects(collect(['x\n'], { maxLineBytes: 0 }), RangeError);
  });

  // Full GCs around the measurements, so only memory still referenced counts.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // ArrayBuffer backing stores are freed by a background task after the GC: let it run, and collect twice.
  const used = async (): Promise<number> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };

  it('stays flat in memory over 1,000,000 lines', async () => {
    // 1,000 chunks of 1,000 lines, each a fresh Buffer (as a file stream gives), produced lazily.
    let text = '';
    for (let i = 0; i < 1000; i++) text += `https://h${i}.example/path\n`;
    async function* manyLines(): AsyncGenerator<Buffer> {
      for (let c = 0; c < 1000; c++) yield Buffer.from(text);
    }
    const base = await used();
    let peak = 0;
    let count = 0;
    for await (const line of readUrlLines(manyLines())) {
      if (++count % 250_000 === 0) peak = Math.max(peak, (await used()) - base);
      else if (line.length === 0) assert.fail('empty line');
    }
    assert.equal(count, 1_000_000);
    assert.ok(peak < 16 * 1024 * 1024, `grew by ${peak} bytes`);
  });

  it('stays flat in memory for one 64 MB line', async () => {
    // Fresh 64 KiB chunks: only the first 64 KiB of the line may be kept.
    let peak = 0;
    async function* hugeLine(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 1024; i++) {
        yield Buffer.alloc(64 * 1024, 0x61);
        if (i === 1000) peak = (await used()) - base;
      }
      yield Buffer.from('\nhttps://after/\n');
    }
    const base = await used();
    const lines: string[] = [];
    for await (const line of readUrlLines(hugeLine())) lines.push(line);
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith(`${LINE_TOO_LONG_PREFIX}67108864 bytes, limit 65536] aaa`));
    assert.equal(lines[1], 'https://after/');
    assert.ok(peak < 8 * 1024 * 1024, `grew by ${peak} bytes`);
  });

  it('fuzz: random bytes never throw, never hang, and do not depend on chunking', async () => {
    const byte = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x00, 0x23, 0x20, 0x09, 0xef, 0xbb, 0xbf, 0xe6, 0x97, 0xa5) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    const input = fc.record({
      bytes: fc.array(byte, { maxLength: 400 }),
      // Up to 100 KB: past the default 64 KiB limit as well as any small one.
      longRun: fc.option(fc.record({ at: fc.nat(), length: fc.integer({ min: 1, max: 100_000 }) }), { freq: 4 }),
      sizes: fc.array(fc.oneof(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 8192 })), {
        minLength: 1,
        maxLength: 8,
      }),
      maxLineBytes: fc.option(fc.integer({ min: 1, max: 300 })),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ bytes, longRun, sizes, maxLineBytes }) => {
        let buf = Buffer.from(bytes);
        if (longRun) {
          const at = longRun.at % (buf.length + 1);
          buf = Buffer.concat([buf.subarray(0, at), Buffer.alloc(longRun.length, 0x78), buf.subarray(at)]);
        }
        const options = maxLineBytes === null ? {} : { maxLineBytes };
        const whole = await collect([buf], options);
        const chunked = await collect(split(buf, sizes), options);
        assert.deepEqual(chunked, whole);

        let newlines = 0;
        for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) newlines++;
        assert.ok(whole.length <= newlines + 1);
        for (const line of whole) {
          assert.ok(line.length > 0 && line === line.trim() && !line.startsWith('#') && !line.includes('\n'));
        }

        // With no line over the limit, the result is the naive split of the decoded text.
        const limit = options.maxLineBytes ?? 64 * 1024;
        const rawLines: number[] = [];
        for (let start = 0; start <= buf.length; ) {
          const nl = buf.indexOf(0x0a, start);
          const i = nl === -1 ? buf.length : nl;
          rawLines.push(i > start && buf[i - 1] === 0x0d ? i - start - 1 : i - start);
          start = i + 1;
        }
        if (rawLines.every((n) => n <= limit)) {
          const naive = buf
            .toString('utf8')
            .replace(/^\ufeff/, '')
            .split('\n')
            .map((l) => l.replace(/\r$/, '').trim())
            .filter((l) => l !== '' && !l.startsWith('#'));
          assert.deepEqual(whole, naive);
        }
      }),
      { seed: 20240601, numRuns: 150 },
    );
  });
});
