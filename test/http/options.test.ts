import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { DEFAULTS, USER_AGENT, resolveOptions } from '../../src/http/options.js';
import { fetchAll, fetchOne, scrape } from '../../src/http/index.js';

test('options: defaults', () => {
  const o = resolveOptions(undefined, 'fetchAll()', 'fetch');
  assert.equal(o.concurrency, 16);
  assert.equal(o.perHost, Infinity);
  assert.deepEqual([o.connectTimeout, o.headersTimeout, o.totalTimeout], [10_000, 30_000, 60_000]);
  assert.equal(o.retries, 2);
  assert.equal(o.maxRetryDelay, 30_000);
  assert.equal(o.maxRedirects, 10);
  assert.equal(o.maxBytes, 10 * 1024 * 1024);
  assert.equal(o.httpErrors, true);
  assert.equal(o.json, false);
  assert.equal(o.headers['user-agent'], USER_AGENT);
  assert.match(USER_AGENT, /^gather\/\d+\.\d+\.\d+ /);
  assert.equal(o.headers['accept-encoding'], 'gzip, deflate, br');
  assert.equal(DEFAULTS.concurrency, 16);
});

test('options: a number timeout is the total; connect and headers never exceed it', () => {
  const o = resolveOptions({ timeout: 2_000 }, 'fetchAll()', 'fetch');
  assert.deepEqual([o.connectTimeout, o.headersTimeout, o.totalTimeout], [2_000, 2_000, 2_000]);
  const p = resolveOptions({ timeout: { connect: 500, total: 90_000 } }, 'fetchAll()', 'fetch');
  assert.deepEqual([p.connectTimeout, p.headersTimeout, p.totalTimeout], [500, 30_000, 90_000]);
  const q = resolveOptions({ timeout: Infinity }, 'fetchAll()', 'fetch');
  assert.equal(q.totalTimeout, Infinity);
});

test('options: headers merge case-insensitively over the defaults', () => {
  const o = resolveOptions({ headers: { 'User-Agent': 'me/1', 'X-Token': 'a' } }, 'fetchAll()', 'fetch');
  assert.equal(o.headers['user-agent'], 'me/1');
  assert.equal(o.headers['x-token'], 'a');
  assert.equal(Object.keys(o.headers).filter((k) => k.toLowerCase() === 'user-agent').length, 1);
});

test('options: scrape asks for HTML, JSON mode for JSON', () => {
  assert.match(resolveOptions({}, 'scrape()', 'scrape').headers.accept!, /^text\/html/);
  assert.match(resolveOptions({ json: true }, 'fetchAll()', 'fetch').headers.accept!, /^application\/json/);
});

test('options: bad values throw naming the option, the value and its type', () => {
  const cases: [unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    [{ concurrency: 0 }, /^Expected `concurrency` to be an integer from 1 and up or `Infinity`, got `0` \(number\)$/, RangeError],
    [{ concurrency: '4' }, /`concurrency`.*got `"4"` \(string\)/, TypeError],
    [{ perHost: 1.5 }, /`perHost`.*`1.5` \(number\)/, RangeError],
    [{ retries: -1 }, /`retries` to be an integer from 0 and up/, RangeError],
    [{ retries: Infinity }, /`retries`/, RangeError],
    [{ timeout: 0 }, /`timeout` to be a number of milliseconds from 1/, RangeError],
    [{ timeout: 'soon' }, /`timeout`.*`"soon"` \(string\)/, TypeError],
    [{ timeout: { headers: -5 } }, /`timeout.headers`/, RangeError],
    [{ timeout: { idle: 5 } }, /Unknown option `timeout.idle`/, TypeError],
    [{ maxBytes: -1 }, /`maxBytes`/, RangeError],
    [{ maxRedirects: null }, /`maxRedirects`.*`null` \(null\)/, TypeError],
    [{ httpErrors: 'yes' }, /`httpErrors` to be a boolean/, TypeError],
    [{ json: 1 }, /`json` to be a boolean/, TypeError],
    [{ signal: {} }, /`signal` to be an AbortSignal/, TypeError],
    [{ lookup: 'dns' }, /`lookup`/, TypeError],
    [{ dispatcher: {} }, /`dispatcher`/, TypeError],
    [{ headers: { 'bad name': 'x' } }, /`headers` names/, TypeError],
    [{ headers: { 'x-a': 'a\r\nb: c' } }, /`headers.x-a`.*CR, LF/, TypeError],
    [{ headers: { 'x-a': 1 } }, /`headers.x-a`/, TypeError],
    [{ concurency: 4 }, /Unknown option `concurency` for fetchAll\(\)/, TypeError],
    [[], /options of fetchAll\(\) to be an object/, TypeError],
  ];
  for (const [options, message, type] of cases) {
    assert.throws(() => resolveOptions(options, 'fetchAll()', 'fetch'), (error: Error) => {
      assert.ok(error instanceof type, `${JSON.stringify(options)}: ${error.constructor.name} ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('options: lookup and dispatcher together are refused', async () => {
  const agent = new Agent();
  try {
    assert.throws(() => resolveOptions({ lookup: () => {}, dispatcher: agent }, 'fetchAll()', 'fetch'), /only one of `lookup` and `dispatcher`/);
  } finally {
    await agent.close();
  }
});

test('fetchAll / scrape: bad options and bad sources throw at once, before any request', () => {
  assert.throws(() => fetchAll([], { concurrency: 0 }), RangeError);
  assert.throws(() => scrape([], { json: true } as never), /Unknown option `json` for scrape\(\).*fetchAll\(urls, \{ json: true \}\)/);
  assert.throws(() => fetchAll('http://a.test/' as never), /wrap it in an array/);
  assert.throws(() => fetchAll(42 as never), /`urls` of fetchAll\(\) to be an iterable/);
});

test('fetchOne: bad options reject with the TypeError', async () => {
  await assert.rejects(fetchOne('http://a.test/', { retries: 'x' as never }), TypeError);
});
