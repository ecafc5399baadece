// The body readers without a server: what a head asks to read, the title and JSON onto the row,
// the scan limit, and a cut body keeping its title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadJsonError, BodyReader, TITLE_SCAN_BYTES } from '../../src/http/readers.js';
import { emptyRow } from '../../src/http/target.js';

const html = { status: 200, contentType: 'text/html; charset=utf-8' };

test('readers: nothing to read for a 204 or a non-HTML page outside JSON mode', () => {
  assert.equal(BodyReader.plan({ status: 204, contentType: 'text/html' }, false), null);
  assert.equal(BodyReader.plan({ status: 200, contentType: 'image/png' }, false), null);
  assert.notEqual(BodyReader.plan({ status: 200, contentType: 'image/png' }, true), null);
});

test('readers: the title stops the reading; JSON reads on and parses at the end', () => {
  const row = emptyRow('http://a.test/');
  const reader = BodyReader.plan(html, false)!;
  assert.equal(reader.write(Buffer.from('<title>Hi</title>')), true);
  reader.finish(row, false, true);
  assert.equal(row.title, 'Hi');
  const json = BodyReader.plan({ status: 200, contentType: 'application/json' }, true)!;
  assert.equal(json.write(Buffer.from('{"a":')), false);
  json.write(Buffer.from('1}'));
  json.finish(row, true, true);
  assert.deepEqual(row.json, { a: 1 });
  const bad = BodyReader.plan({ status: 200, contentType: 'application/json' }, true)!;
  bad.write(Buffer.from('nope'));
  assert.throws(() => bad.finish(row, true, true), BadJsonError);
});

test('readers: a title past TITLE_SCAN_BYTES is not looked for, and reading goes on (maxBytes still applies)', () => {
  const row = emptyRow('http://a.test/');
  const reader = BodyReader.plan(html, false)!;
  assert.equal(reader.write(Buffer.alloc(TITLE_SCAN_BYTES, 'x')), false);
  assert.equal(reader.write(Buffer.from('<title>Late</title>')), false);
  reader.finish(row, true, true);
  assert.equal(row.title, null);
});

test('readers: a body cut short keeps the title in what arrived', () => {
  const row = emptyRow('http://a.test/');
  const reader = BodyReader.plan({ status: 200, contentType: 'text/html' }, false)!; // no charset: bytes held for the prescan
  assert.equal(reader.write(Buffer.from('<html><title>Kept</title>')), false);
  reader.failed(row);
  assert.equal(row.title, 'Kept');
});
