// Where `gather fetch` gets its URLs: arguments, files, stdin, --list, in order; files opened up front and always closed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { UsageError } from '../../src/cli/errors.js';
import { isUrlArgument, openInputs } from '../../src/cli/inputs.js';
import { LINE_TOO_LONG_PREFIX, readUrlLines } from '../../src/cli/url-reader.js';

/** Split a buffer at the given sizes (cycling), to exercise every chunk boundary. */
function split(buf: Buffer, sizes: number[]): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0, k = 0; i < buf.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]);
    parts.push(buf.subarray(i, i + n));
    i += n;
  }
  return parts;
}

async function all(source: AsyncIterable<string> | Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const url of source) out.push(url);
  return out;
}

describe('openInputs', () => {
  it('reads URLs from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-url-reader-'));
    try {
      const file = join(dir, 'urls.txt');
      await writeFile(file, '# list\nhttps://a/\r\n\nhttps://b/');
      const lines: string[] = [];
      for await (const line of openInputs([file], [], Readable.from([])).urls) lines.push(line);
      assert.deepEqual(lines, ['https://a/', 'https://b/']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a regular file synchronously with the same lines as the stream reader, across chunk edges', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-url-reader-'));
    try {
      const file = join(dir, 'urls.txt');
      // Lines that straddle the 64 KiB reads, a multi-byte character on the edge, CRLF, a BOM,
      // comments, blanks, an over-long line and a last line without a newline.
      const lines: string[] = ['\ufeffhttps://first.example/'];
      for (let i = 0; lines.join('\n').length < 200_000; i++) lines.push(i % 7 === 0 ? `# comment ${i}` : i % 11 === 0 ? '' : `https://h${i}.example/é${'x'.repeat(i % 300)}\r`);
      lines.push(`https://long.example/${'y'.repeat(70_000)}`);
      lines.push('https://last.example/');
      const bytes = Buffer.from(lines.join('\n'));
      await writeFile(file, bytes);
      const source = openInputs([file], [], Readable.from([])).urls;
      assert.equal(typeof (source as Iterable<string>)[Symbol.iterator], 'function', 'a plain iterable');
      const fromFile = [...(source as Iterable<string>)];
      const fromStream: string[] = [];
      for await (const line of readUrlLines(Readable.from(split(bytes, [65_536])))) fromStream.push(line);
      assert.deepEqual(fromFile, fromStream);
      assert.equal(fromFile[0], 'https://first.example/');
      assert.equal(fromFile.at(-1), 'https://last.example/');
      assert.ok(fromFile.at(-2)!.startsWith(LINE_TOO_LONG_PREFIX));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('closes the file when the consumer stops early, and at the end', { skip: !existsSync('/proc/self/fd') }, async () => {
    const openFds = (): number => readdirSync('/proc/self/fd').length;
    const dir = await mkdtemp(join(tmpdir(), 'gather-url-reader-'));
    try {
      const file = join(dir, 'urls.txt');
      await writeFile(file, 'https://a/\nhttps://b/\nhttps://c/\n');
      const before = openFds();
      const early = openInputs([file], [], Readable.from([])).urls as Iterable<string>;
      assert.equal(openFds(), before + 1);
      for (const line of early) {
        assert.equal(line, 'https://a/');
        break;
      }
      const whole = [...(openInputs([file], [], Readable.from([])).urls as Iterable<string>)];
      assert.equal(whole.length, 3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(openFds(), before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads stdin for "-" and for no argument', async () => {
    for (const arg of ['-', undefined]) {
      const stdin = Readable.from([Buffer.from('https://a/\n#x\nhttps://b/\n')]);
      const lines: string[] = [];
      for await (const line of openInputs(arg === undefined ? [] : [arg], [], stdin).urls) lines.push(line);
      assert.deepEqual(lines, ['https://a/', 'https://b/']);
    }
  });

  it('rejects a missing file with a one-line usage error (exit 2)', async () => {
    assert.throws(() => openInputs(['definitely-missing-urls.txt'], [], process.stdin), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.exitCode, 2);
      assert.equal(err.message, "gather: cannot read 'definitely-missing-urls.txt': no such file");
      return true;
    });
  });

  it('rejects a directory before reading anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-url-reader-'));
    try {
      assert.throws(() => openInputs([dir], [], process.stdin), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.equal(err.message, `gather: cannot read '${dir}': is a directory, expected a file of URLs, one per line`);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('openInputs: arguments, files, stdin and --list', () => {
  it('tells URLs from files: a scheme and // make a URL', () => {
    assert.equal(isUrlArgument('https://example.com/'), true);
    assert.equal(isUrlArgument('HTTP://EXAMPLE.COM'), true);
    assert.equal(isUrlArgument('ftp://files.example/x'), true);
    assert.equal(isUrlArgument('urls.txt'), false);
    assert.equal(isUrlArgument('./https:/x'), false);
    assert.equal(isUrlArgument('example.com'), false);
  });

  it('reads URL arguments, files, stdin and --list files in that order, and counts them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-inputs-'));
    try {
      await writeFile(join(dir, 'a.txt'), 'https://a1/\n# c\nhttps://a2/\n');
      await writeFile(join(dir, 'b.txt'), 'https://b1/');
      const stdin = Readable.from([Buffer.from('https://s1/\n')]);
      const inputs = openInputs(['https://x/', join(dir, 'a.txt'), '-'], [join(dir, 'b.txt')], stdin);
      assert.equal(inputs.countable, false, 'stdin cannot be counted up front');
      assert.deepEqual(await all(inputs.urls), ['https://x/', 'https://a1/', 'https://a2/', 'https://s1/', 'https://b1/']);
      inputs.close();

      const files = openInputs([join(dir, 'a.txt'), 'https://y/'], [join(dir, 'b.txt')], Readable.from([]));
      assert.equal(files.countable, true);
      assert.equal(files.count(), 4);
      assert.deepEqual(await all(files.urls), ['https://a1/', 'https://a2/', 'https://y/', 'https://b1/'], 'counting does not move the reader');
      files.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts exactly what the reader yields, over-long lines, BOM, CRLF and comments included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-inputs-'));
    try {
      const file = join(dir, 'urls.txt');
      const lines = ['\ufeff# bom comment', 'https://a/\r', '   ', `https://long/${'z'.repeat(70_000)}`, `#${'c'.repeat(70_000)}`, '\u00a0', 'https://b/'];
      await writeFile(file, lines.join('\n'));
      const inputs = openInputs([file], [], Readable.from([]));
      const count = inputs.count();
      assert.equal(count, (await all(inputs.urls)).length);
      assert.equal(count, 3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses '-' twice, and closes the files it opened when a later one is missing", { skip: !existsSync('/proc/self/fd') }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gather-inputs-'));
    try {
      await writeFile(join(dir, 'a.txt'), 'https://a/\n');
      assert.throws(() => openInputs(['-', '-'], [], Readable.from([])), /'-' \(stdin\) can be given only once/);
      const before = readdirSync('/proc/self/fd').length;
      assert.throws(() => openInputs([join(dir, 'a.txt'), join(dir, 'missing.txt')], [], Readable.from([])), UsageError);
      assert.equal(readdirSync('/proc/self/fd').length, before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing file that looks like a host name suggests writing it as a URL', () => {
    for (const name of ['example.com', 'api.example.org/v1/users', 'localhost.localdomain:8080/']) {
      assert.throws(() => openInputs([name], [], Readable.from([])), {
        message: `gather: cannot read '${name}': no such file (to fetch it as a URL, write https://${name})`,
      });
    }
    for (const name of ['urls.txt', 'data.json', 'missing', 'dir/list.csv']) {
      assert.throws(() => openInputs([name], [], Readable.from([])), { message: `gather: cannot read '${name}': no such file` });
    }
  });
});
