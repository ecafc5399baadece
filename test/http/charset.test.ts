import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalEncoding,
  charsetFromContent,
  createDecoder,
  isHtmlType,
  parseContentType,
  prescanCharset,
  sniffBom,
} from '../../src/http/charset.js';

const enc = (text: string): Buffer => Buffer.from(text, 'latin1');

test('parseContentType: media type and charset, quoted or not, any case', () => {
  assert.deepEqual(parseContentType('text/html; charset=UTF-8'), { mime: 'text/html', charset: 'utf-8' });
  assert.deepEqual(parseContentType('Text/HTML;Charset="Shift_JIS"'), { mime: 'text/html', charset: 'shift_jis' });
  assert.deepEqual(parseContentType('application/json'), { mime: 'application/json', charset: undefined });
  assert.deepEqual(parseContentType(undefined), { mime: '', charset: undefined });
  assert.deepEqual(parseContentType(['text/plain; format=flowed; charset=koi8-r']), { mime: 'text/plain', charset: 'koi8-r' });
});

test('isHtmlType: HTML, XHTML and a missing type are parsed; others are not', () => {
  for (const mime of ['text/html', 'application/xhtml+xml', '']) assert.equal(isHtmlType(mime), true, mime);
  for (const mime of ['application/octet-stream', 'image/png', 'application/json', 'text/plain']) assert.equal(isHtmlType(mime), false, mime);
});

test('canonicalEncoding: WHATWG labels to names; unknown is undefined', () => {
  assert.equal(canonicalEncoding('latin1'), 'windows-1252');
  assert.equal(canonicalEncoding('Shift_JIS'), 'shift_jis');
  assert.equal(canonicalEncoding(' GBK '), 'gbk');
  assert.equal(canonicalEncoding('x-no-such-charset'), undefined);
  assert.equal(canonicalEncoding(undefined), undefined);
});

test('sniffBom: UTF-8 and UTF-16 byte order marks', () => {
  assert.equal(sniffBom(Buffer.from([0xef, 0xbb, 0xbf, 0x3c])), 'utf-8');
  assert.equal(sniffBom(Buffer.from([0xfe, 0xff])), 'utf-16be');
  assert.equal(sniffBom(Buffer.from([0xff, 0xfe])), 'utf-16le');
  assert.equal(sniffBom(Buffer.from('<html>')), undefined);
});

test('charsetFromContent: the http-equiv content attribute', () => {
  assert.equal(charsetFromContent('text/html; charset=windows-1251'), 'windows-1251');
  assert.equal(charsetFromContent('text/html;charset = "gbk"'), 'gbk');
  assert.equal(charsetFromContent('text/html'), undefined);
  assert.equal(charsetFromContent('charsetx; charset=utf-8'), 'utf-8');
});

test('prescanCharset: <meta charset>, <meta http-equiv>, comments and attributes skipped', () => {
  assert.equal(prescanCharset(enc('<!doctype html><html><head><meta charset="windows-1251">')), 'windows-1251');
  assert.equal(prescanCharset(enc("<meta charset='shift_jis'>")), 'shift_jis');
  assert.equal(prescanCharset(enc('<META CHARSET=GBK>')), 'gbk');
  assert.equal(prescanCharset(enc('<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">')), 'koi8-r');
  assert.equal(prescanCharset(enc('<meta content="text/html; charset=koi8-r" http-equiv="content-type">')), 'koi8-r');
  // content without the http-equiv pragma does not count
  assert.equal(prescanCharset(enc('<meta name="x" content="charset=koi8-r">')), undefined);
  assert.equal(prescanCharset(enc('<!-- <meta charset="gbk"> --><meta charset="utf-8">')), 'utf-8');
  assert.equal(prescanCharset(enc('<div title="<meta charset=gbk>"></div><meta charset="windows-1251">')), 'windows-1251');
  // unknown names are skipped, the next declaration is used
  assert.equal(prescanCharset(enc('<meta charset="bogus"><meta charset="gbk">')), 'gbk');
  // UTF-16 declared in an ASCII-compatible prescan means UTF-8 (HTML spec)
  assert.equal(prescanCharset(enc('<meta charset="utf-16">')), 'utf-8');
  assert.equal(prescanCharset(enc('<html><title>none</title>')), undefined);
  assert.equal(prescanCharset(enc('<meta charset="gbk"'.slice(0, 12))), undefined);
});

test('prescanCharset: only the first 1024 bytes are looked at', () => {
  assert.equal(prescanCharset(enc(' '.repeat(1020) + '<meta charset="gbk">')), undefined);
  assert.equal(prescanCharset(enc(' '.repeat(990) + '<meta charset="gbk">')), 'gbk');
});

test('createDecoder: streaming across split characters; unknown labels decode as UTF-8; BOM stripped', () => {
  const bytes = Buffer.from('\ufeffé世🐳', 'utf8');
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = createDecoder('utf-8');
    assert.equal(decoder.write(bytes.subarray(0, cut)) + decoder.write(bytes.subarray(cut)) + decoder.end(), 'é世🐳', `cut ${cut}`);
  }
  const unknown = createDecoder('nope');
  assert.equal(unknown.encoding, 'utf-8');
  assert.equal(unknown.write(Buffer.from('ok', 'utf8')) + unknown.end(), 'ok');
  const cyrillic = createDecoder('windows-1251');
  assert.equal(cyrillic.write(Buffer.from([0xcf, 0xf0, 0xe8])) + cyrillic.end(), 'При');
});
