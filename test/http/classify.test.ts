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
    [err('UND_ERR_SOCKET', {}, 'other side closed'), 'reset', 'connection to a.test.invalid:8080 closed by the server before the response ended'],
    [err('EPIPE', {}, 'write EPIPE'), 'reset', 'connection to a.test.invalid:8080 closed by the server before the response ended'],
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

test('classify: TLS failures in plain words, one line (issue 10: no OpenSSL text, no trailing newline)', () => {
  const cases: [string, string][] = [
    ['CERT_HAS_EXPIRED', 'the certificate of a.test.invalid:8080 has expired'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'the certificate of a.test.invalid:8080 is self-signed (not trusted)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'the certificate of a.test.invalid:8080 is for another name'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'the certificate of a.test.invalid:8080 is signed by an unknown authority'],
    ['EPROTO', 'TLS handshake with a.test.invalid:8080 failed (does the server speak TLS on this port?)'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS handshake with a.test.invalid:8080 failed (does the server speak TLS on this port?)'],
  ];
  for (const [code, message] of cases) assert.deepEqual(classifyError(err(code, {}, `tls said ${code}\n`), context), { code: 'tls', message });
  const raw = err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', {}, '40C8A7E6A27F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40\n');
  const row = classifyError(raw, context);
  assert.equal(row.code, 'tls');
  assert.ok(!row.message.includes('\n') && !row.message.includes('error:0A000410'), row.message);
});

test('classify: wrapped causes (AggregateError, cause chains) are unwrapped', () => {
  const aggregate = new AggregateError([err('ECONNREFUSED', { address: '::1', port: 80 })], 'all failed');
  assert.equal(classifyError(aggregate, context).code, 'refused');
  const wrapped = new Error('fetch failed', { cause: err('ENOTFOUND', { hostname: 'x.invalid' }) });
  assert.deepEqual(classifyError(wrapped, context), { code: 'dns', message: 'no such host: x.invalid' });
});

test('classify: unknown failures keep their first line under code unknown (never a retried reset: issue 9)', () => {
  assert.deepEqual(classifyError(new Error('weird\nstack-ish detail'), context), { code: 'unknown', message: 'request to a.test.invalid:8080 failed: weird' });
});

test('classify: malformed responses are bad_body in words, without undici internals', () => {
  const assertion = classifyError(err('ERR_ASSERTION', {}, 'The expression evaluated to a falsy value:\n\n  assert(statusCode >= 100)\n'), context);
  assert.deepEqual(assertion, { code: 'bad_body', message: 'invalid HTTP response from a.test.invalid:8080: the response could not be parsed' });
  const parser = classifyError(err('HPE_INVALID_CHUNK_SIZE', {}, 'Response does not match the HTTP/1.1 protocol (Invalid character in chunk size)'), context);
  assert.deepEqual(parser, { code: 'bad_body', message: 'invalid HTTP response from a.test.invalid:8080: Invalid character in chunk size' });
  const emfile = classifyError(err('EMFILE', {}, 'connect EMFILE'), context);
  assert.equal(emfile.code, 'unknown');
  assert.match(emfile.message, /out of file descriptors/);
});

test('classify: the total deadline names the phase', () => {
  assert.deepEqual(totalTimeoutError(1000, 'headers'), { code: 'timeout', message: 'timed out after 1000 ms waiting for response headers' });
  assert.equal(totalTimeoutError(5, 'body').message, 'timed out after 5 ms reading the body');
});
