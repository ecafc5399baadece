// Flag values as people type them: durations in seconds by default, headers the client can send, ports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { durationFlag, headerFlag, portFlag } from '../../src/cli/parse.js';

describe('durationFlag', () => {
  it('reads a bare number as seconds, like curl, wget and httpx', () => {
    assert.equal(durationFlag('10'), 10_000);
    assert.equal(durationFlag('0.5'), 500);
    assert.equal(durationFlag('.25'), 250);
    assert.equal(durationFlag('1.5'), 1500);
  });

  it('accepts ms, s and m suffixes, any case, spaces around', () => {
    assert.equal(durationFlag('1500ms'), 1500);
    assert.equal(durationFlag('10s'), 10_000);
    assert.equal(durationFlag('2m'), 120_000);
    assert.equal(durationFlag(' 3 S '), 3000);
    assert.equal(durationFlag('0.4s'), 400);
  });

  it('refuses zero, negative, below a millisecond and garbage with a sentence', () => {
    for (const value of ['0', '0s', '-1', '-5s', '0.0001', 'soon', '10h', '', '1e3', 'Infinity']) {
      assert.throws(() => durationFlag(value), (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError, value);
        assert.match(err.message, /expected a duration/);
        assert.ok(err.message.includes(`"${value}"`), err.message);
        return true;
      });
    }
  });
});

describe('headerFlag', () => {
  it('collects "Name: value" pairs, names lower-cased', () => {
    assert.deepEqual(headerFlag('Accept-Language: en', headerFlag('X-A: 1')), { 'x-a': '1', 'accept-language': 'en' });
  });

  it('refuses CR, LF and other control characters in a value', () => {
    for (const value of ['X-A: a\r\nX-B: b', 'X-A: a\nb', 'X-A: a\u0000', 'X-A: \u001b[2J']) {
      assert.throws(() => headerFlag(value), /line break or another control character/);
    }
    assert.deepEqual(headerFlag('X-A: a\tb'), { 'x-a': 'a\tb' }, 'a tab is allowed');
  });

  it('refuses headers the client sets itself', () => {
    for (const name of ['Expect', 'Transfer-Encoding', 'Upgrade', 'Connection', 'Keep-Alive', 'Content-Length', 'connection']) {
      assert.throws(() => headerFlag(`${name}: x`), new RegExp(`'${name}' cannot be set: the HTTP client sets it itself`));
    }
  });
});

describe('portFlag', () => {
  it('takes 0 to 65535 and refuses the rest', () => {
    assert.equal(portFlag('0'), 0);
    assert.equal(portFlag('65535'), 65_535);
    for (const value of ['65536', '99999', '-1', 'http', '80.5']) assert.throws(() => portFlag(value), /expected a port from 0 to 65535/);
  });
});
