import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyDecodeError, BodyTooLargeError } from '../../src/http/body.js';
import { classifyError, totalTimeoutError } from '../../src/http/classify.js';

const context = { url: new URL('http://a.test.invalid:8080/x'), connectTimeout: 1000, headersTimeout: 2000 };
const err = (code: string, extra: object = {}, message = code): Error => Object.assign(new Error(message), { code, ...extra });

test('classify: every network cause gets its code and a sentence', () => {
  const cases: [unknown, string, string][] = [
    [err('ECONNREFUSED', { address: '127.0.0.1', port: 9 }), 'refused', 'connection refused by 127.0.0.1:9'],
    [err('ECONNREFUSED'), 'refused', 'connection refused by a.test.invalid:8080'],
    [err('ENOTFOUND', { hostname: 'nonexistent.invalid' }), 'dns', 'no such host: nonexistent.invalid'],
    [err('EAI_AGAIN'), 'dns', 'DNS lookup of a.test.invalid failed temporarily (EAI_AGAIN)'],
    [err('ECONNRESET'), 'reset', 'connection reset by a.test.invalid:8080'],
    [err('UND_ERR_SOCKET', {}, 'other side closed'), 'reset', 'connection to a.test.invalid:8080 closed unexpectedly (other side closed)'],
    [err('UND_ERR_CONNECT_TIMEOUT'), 'timeout', 'timed out after 1000 ms connecting to a.test.invalid:8080'],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'timeout', 'timed out after 2000 ms waiting for response headers'],
    [err('UND_ERR_BODY_TIMEOUT'), 'timeout', 'timed out after 2000 ms waiting for more of the body'],
    [err('EHOSTUNREACH'), 'refused', 'could not reach a.test.invalid:8080 (EHOSTUNREACH)'],
    [err('UND_ERR_HEADERS_OVERFLOW'), 'too_large', 'response headers from a.test.invalid:8080 too large'],
    [new BodyTooLargeError(10), 'too_large', 'body larger than 10 bytes (maxBytes) after decoding'],
    [new BodyDecodeError('could not decode the gzip body: bad'), 'bad_body', 'could not decode the gzip body: bad'],
  ];
  for (const [error, code, message] of cases) assert.deepEqual(classifyError(error, context), { code, message });
});

test('classify: TLS failures', () => {
  for (const code of ['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
    const row = classifyError(err(code, {}, `tls said ${code}`), context);
    assert.equal(row.code, 'tls', code);
    assert.equal(row.message, `TLS error with a.test.invalid:8080: tls said ${code}`);
  }
});

test('classify: wrapped causes (AggregateError, cause chains) are unwrapped', () => {
  const aggregate = new AggregateError([err('ECONNREFUSED', { address: '::1', port: 80 })], 'all failed');
  assert.equal(classifyError(aggregate, context).code, 'refused');
  const wrapped = new Error('fetch failed', { cause: err('ENOTFOUND', { hostname: 'x.invalid' }) });
  assert.deepEqual(classifyError(wrapped, context), { code: 'dns', message: 'no such host: x.invalid' });
});

test('classify: unknown failures keep their message', () => {
  assert.deepEqual(classifyError(new Error('weird'), context), { code: 'reset', message: 'request to a.test.invalid:8080 failed: weird' });
});

test('classify: the total deadline names the phase', () => {
  assert.deepEqual(totalTimeoutError(1000, 'headers'), { code: 'timeout', message: 'timed out after 1000 ms waiting for response headers' });
  assert.equal(totalTimeoutError(5, 'body').message, 'timed out after 5 ms reading the body');
});
