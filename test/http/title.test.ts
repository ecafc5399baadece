import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_TITLE_CHARS, collapseWhitespace, createTitleExtractor, releaseTitleExtractor, takeTitleExtractor } from '../../src/http/title.js';

const enc = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Feeds `bytes` cut at the given offsets; returns the title and whether write() said "done" early. */
function extract(bytes: Buffer, cuts: number[] = [], charset?: string): { title: string | null; early: boolean } {
  const extractor = createTitleExtractor(charset);
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    if (extractor.write(bytes.subarray(from, to))) return { title: extractor.title, early: true };
    from = to;
  }
  extractor.end();
  return { title: extractor.title, early: false };
}

test('title: a plain page', () => {
  assert.equal(extract(enc('<html><head><title>Hello</title></head></html>')).title, 'Hello');
});

test('title: write() returns true as soon as </title> is seen, before the rest arrives', () => {
  const extractor = createTitleExtractor('utf-8');
  assert.equal(extractor.write(enc('<html><head><title>Early</title>')), true);
  assert.equal(extractor.title, 'Early');
  assert.equal(extractor.done, true);
  // More bytes after that change nothing.
  assert.equal(extractor.write(enc('<title>Late</title>')), true);
  assert.equal(extractor.title, 'Early');
});

test('title: none in the document is null', () => {
  assert.equal(extract(enc('<html><body><p>no title</p></body></html>')).title, null);
  assert.equal(extract(enc('')).title, null);
});

test('title: an empty title is the empty string', () => {
  assert.equal(extract(enc('<title></title>')).title, '');
  assert.equal(extract(enc('<title>   \n </title>')).title, '');
});

test('title: entities decoded, whitespace collapsed and trimmed', () => {
  const raw = '<title>  Fish &amp; Chips &#8212;\n   &quot;best&quot;  </title>';
  assert.equal(extract(enc(raw)).title, 'Fish & Chips \u2014 "best"');
  assert.equal(extract(enc('<title>a&nbsp;b &lt;c&gt; &#x41;&eacute;</title>')).title, 'a\u00a0b <c> A\u00e9');
});

test('title: markup inside the title is text (RCDATA), as in browsers', () => {
  assert.equal(extract(enc('<title>a <b>bold</b> move</title>')).title, 'a <b>bold</b> move');
});

test('title: split inside tags, entities and the closing tag, at every offset', () => {
  const doc = enc('<!doctype html><html><head><meta charset="utf-8"><TITLE lang=en>Fish &amp; Chips</TiTlE><body>x</body>');
  for (let cut = 1; cut < doc.length; cut++) {
    assert.equal(extract(doc, [cut]).title, 'Fish & Chips', `cut at ${cut}`);
  }
  // and byte by byte
  assert.equal(extract(doc, Array.from({ length: doc.length }, (_, i) => i)).title, 'Fish & Chips');
});

test('title: multi-byte characters split across chunks (UTF-8)', () => {
  const doc = enc('<title>Привет, 世界 🐳 café</title>');
  for (let cut = 1; cut < doc.length; cut++) {
    assert.equal(extract(doc, [cut], 'utf-8').title, 'Привет, 世界 🐳 café', `cut at ${cut}`);
  }
  assert.equal(extract(doc, Array.from({ length: doc.length }, (_, i) => i), 'utf-8').title, 'Привет, 世界 🐳 café');
});

test('title: multi-byte characters split across chunks (gbk, shift_jis via the header)', () => {
  const gbk = Buffer.concat([enc('<title>'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), enc('</title>')]); // 你好
  for (let cut = 1; cut < gbk.length; cut++) assert.equal(extract(gbk, [cut], 'gbk').title, '你好');
  const sjis = Buffer.concat([enc('<title>'), Buffer.from([0x82, 0xb1, 0x82, 0xf1]), enc('</title>')]); // こん
  for (let cut = 1; cut < sjis.length; cut++) assert.equal(extract(sjis, [cut], 'shift_jis').title, 'こん');
});

test('title: charset from <meta charset> in the first 1024 bytes', () => {
  const doc = Buffer.concat([enc('<meta charset="windows-1251"><title>'), Buffer.from([0xcf, 0xf0, 0xe8]), enc('</title>')]);
  assert.equal(extract(doc).title, 'При');
  // Split before the prescan could decide.
  assert.equal(extract(doc, [5, 20, 40]).title, 'При');
});

test('title: charset from <meta http-equiv=Content-Type>', () => {
  const doc = Buffer.concat([
    enc('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>'),
    Buffer.from([0xcf, 0xf0, 0xe8]),
    enc('</title>'),
  ]);
  assert.equal(extract(doc).title, 'При');
});

test('title: the Content-Type charset beats <meta>, a BOM beats both', () => {
  const body = Buffer.concat([enc('<meta charset="utf-8"><title>'), Buffer.from([0xcf, 0xf0, 0xe8]), enc('</title>')]);
  assert.equal(extract(body, [], 'windows-1251').title, 'При');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc('<title>Ünïcode</title>')]);
  assert.equal(extract(bom, [1, 2], 'windows-1251').title, 'Ünïcode');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<title>UTF-16 ✓</title>', 'utf16le')]);
  assert.equal(extract(utf16, [1, 3, 9]).title, 'UTF-16 ✓');
});

test('title: an unknown charset falls back to UTF-8 without failing', () => {
  assert.equal(extract(enc('<title>café</title>'), [], 'x-no-such-charset').title, 'café');
  assert.equal(extract(enc('<meta charset="bogus"><title>café</title>')).title, 'café');
  // An unknown header charset is as if absent: the extractor waits for the prescan window (or the end).
  const extractor = createTitleExtractor('x-no-such-charset');
  assert.equal(extractor.write(enc('<title>a</title>')), false);
  extractor.end();
  assert.equal(extractor.title, 'a');
  assert.equal(extractor.encoding, 'utf-8');
});

test('title: a <meta> after the first 1024 bytes is not used (the prescan window)', () => {
  const doc = Buffer.concat([
    enc(`<!-- ${'x'.repeat(1100)} -->`),
    enc('<meta charset="windows-1251"><title>'),
    Buffer.from([0xe9]), // "й" in windows-1251, invalid alone in UTF-8
    enc('</title>'),
  ]);
  assert.equal(extract(doc).title, '\ufffd');
});

test('title: <title> inside <svg> is ignored; the document title after it counts', () => {
  const doc = enc('<html><body><svg><title>icon</title><path/></svg><title>Real</title></body></html>');
  assert.equal(extract(doc).title, 'Real');
  assert.equal(extract(enc('<svg><g><title>only svg</title></g></svg>')).title, null);
  assert.equal(extract(enc('<math><title>m</title></math><title>doc</title>')).title, 'doc');
});

test('title: only the first <title> counts', () => {
  assert.equal(extract(enc('<title>first</title><title>second</title>')).title, 'first');
});

test('title: unterminated title counts up to the end of the body', () => {
  assert.equal(extract(enc('<html><head><title>Never closed  \n')).title, 'Never closed');
  assert.equal(extract(enc('<title>')).title, '');
});

test('title: an unterminated runaway title is capped and stops reading', () => {
  const extractor = createTitleExtractor('utf-8');
  extractor.write(enc('<title>'));
  let done = false;
  for (let i = 0; i < 100 && !done; i++) done = extractor.write(enc('word '.repeat(1000)));
  assert.equal(done, true);
  assert.ok(extractor.title!.length <= MAX_TITLE_CHARS);
});

test('title: comments, scripts and styles before the title do not confuse it', () => {
  const doc = enc(
    '<!-- <title>commented</title> --><script>var s = "<title>in script</title>";</script><style>title{}</style><title>Right</title>',
  );
  assert.equal(extract(doc).title, 'Right');
});

test('title: NUL bytes and garbage around the title', () => {
  const doc = Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0, 1, 2]), enc('<title>a\u0000b</title>'), Buffer.from([0, 0, 0])]);
  const { title } = extract(doc);
  assert.equal(typeof title, 'string');
  assert.ok(title!.startsWith('a') && title!.endsWith('b'));
});

test('collapseWhitespace: HTML whitespace only; NBSP kept', () => {
  assert.equal(collapseWhitespace(' \t a \n\r\f b  '), 'a b');
  assert.equal(collapseWhitespace('a\u00a0 b'), 'a\u00a0 b');
});

test('title: fuzz: random bytes, truncated tags and NULs never throw, never hang', () => {
  const pieces = fc.oneof(
    fc.constantFrom('<title>', '</title>', '<titl', 'e>', '</ti', '<svg>', '</svg>', '<', '>', '&', '&amp', ';', '<!--', '-->', '<meta charset="gbk">', '<script>', '</script>', '\u0000', '<![CDATA[', '<title/>', '\ufeff'),
    fc.string({ maxLength: 20 }),
  );
  const docs = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.array(pieces, { maxLength: 60 }).map((parts) => new Uint8Array(enc(parts.join('')))),
  );
  const charsets = fc.constantFrom(undefined, 'utf-8', 'gbk', 'shift_jis', 'windows-1251', 'utf-16le', 'nonsense');
  fc.assert(
    fc.property(docs, fc.array(fc.nat({ max: 3000 }), { maxLength: 8 }), charsets, (bytes, cuts, charset) => {
      const result = extract(Buffer.from(bytes), cuts, charset);
      assert.ok(result.title === null || typeof result.title === 'string');
      if (result.title !== null) assert.equal(result.title, result.title.trim());
    }),
    { seed: 20240611, numRuns: 1500 },
  );
});

test('title: a pooled extractor carries nothing from a document that ended inside <script>, <style> or <title>', () => {
  for (const broken of ['<html><script>var s = "</scr', '<html><style>p {', `<title>${'x'.repeat(MAX_TITLE_CHARS + 10)}`, '<html><title>cut']) {
    const first = takeTitleExtractor('utf-8');
    first.write(Buffer.from(broken));
    releaseTitleExtractor(first);
    const next = takeTitleExtractor('utf-8');
    assert.equal(next, first, 'the pool hands the same extractor back');
    next.write(Buffer.from('<!doctype html><html><head><meta charset="utf-8"><title>Next</title>')) || next.end();
    assert.equal(next.title, 'Next', `after ${JSON.stringify(broken.slice(0, 20))}`);
    releaseTitleExtractor(next);
  }
});

test('title: 300,000 unclosed nested tags are parsed in linear time, and a title after them is found', () => {
  const page = Buffer.from(`<html><body>${'<div><span>'.repeat(150_000)}<title>Deep</title>`);
  const started = performance.now();
  const extractor = createTitleExtractor('utf-8');
  for (let i = 0; i < page.length && !extractor.write(page.subarray(i, i + 65536)); i += 65536);
  extractor.end();
  assert.equal(extractor.title, 'Deep');
  assert.ok(performance.now() - started < 3000, `${Math.round(performance.now() - started)} ms (was 20 s)`);
});
