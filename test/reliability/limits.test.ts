// Timeouts that fire, retries that stop, and limits that hold while retrying, as the server counts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFixtureLookup, startFixtureServer, type FixtureServer } from '../../src/fixture/index.js';
import { fetchAll } from '../../src/http/index.js';

let server: FixtureServer;
before(async () => {
  server = await startFixtureServer();
});
after(() => server.close());

describe('limits under pressure', () => {
  it('a hanging server never holds a row longer than the timeout plus a small margin', async () => {
    const timeout = 200;
    const urls = Array.from({ length: 20 }, (_, i) => `${server.url}/${i % 2 ? 'hang' : 'hang-body'}?i=${i}`);
    const started = performance.now();
    const rows = await fetchAll(urls, { concurrency: 20, timeout });
    const elapsed = performance.now() - started;
    for (const row of rows) {
      assert.equal(row.error?.code, 'timeout');
      assert.ok(row.timeMs >= timeout - 5 && row.timeMs < timeout + 300, `${row.timeMs} ms`);
    }
    assert.ok(elapsed < timeout + 800, `run took ${elapsed} ms`);
  });

  for (const retries of [0, 1, 3]) {
    it(`retries stop at the configured count (${retries})`, async () => {
      server.resetStats();
      const urls = Array.from({ length: 5 }, (_, i) => `${server.url}/status/503?retryAfter=0&r=${retries}&i=${i}`);
      const rows = await fetchAll(urls, { retries, retryDelay: 1 });
      for (const row of rows) {
        assert.equal(row.status, 503);
        assert.equal(row.attempts, retries + 1);
      }
      assert.equal(server.stats().byPath.get('/status/503'), 5 * (retries + 1));
    });
  }

  it('per-host and global limits hold while URLs are being retried', async () => {
    server.resetStats();
    const lookup = createFixtureLookup({ hosts: { 'a.gather.invalid': '127.0.0.1', 'b.gather.invalid': '127.0.0.1' } });
    const urls = Array.from({ length: 30 }, (_, i) => `http://${i % 2 ? 'a' : 'b'}.gather.invalid:${server.port}/retry/2?key=limits-${i}`);
    const rows = await fetchAll(urls, { concurrency: 4, perHost: 3, retries: 2, retryDelay: 5, lookup });
    for (const row of rows) {
      assert.equal(row.ok, true, row.error?.message);
      assert.equal(row.attempts, 3);
    }
    assert.ok(server.stats().maxInFlight <= 4, `server saw ${server.stats().maxInFlight} at once`);
    assert.equal(server.stats().byPath.get('/retry/2'), 90);

    server.resetStats();
    const oneHost = urls.map((url) => url.replace('b.gather', 'a.gather').replace('limits-', 'limits-one-'));
    await fetchAll(oneHost, { concurrency: 8, perHost: 3, retries: 2, retryDelay: 5, lookup });
    assert.ok(server.stats().maxInFlight <= 3, `one host saw ${server.stats().maxInFlight} at once`);
  });
});
