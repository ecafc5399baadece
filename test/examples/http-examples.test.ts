// The seed's network stories, run as programs against the embedded fixture server (never the
// internet) and checked line by line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from './run-example.js';

const base = String.raw`http://127\.0\.0\.1:\d+`;

describe('network examples print what the seed prints', () => {
  it('06-fetch-urls: JSON from /users/:name, a status per URL, in input order', async () => {
    const run = await runExample('06-fetch-urls');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines.length, 3);
    ['octocat', 'torvalds', 'gvanrossum'].forEach((name, i) => {
      assert.match(run.lines[i], new RegExp(`^${base}/users/${name}: 200 \\(${name}, \\d+ repositories\\)$`));
    });
  });

  it('07-fetch-safe: a 404, a refused port and an unknown name are per-URL errors with codes', async () => {
    const run = await runExample('07-fetch-safe');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.lines[0], new RegExp(`^OK: ${base}/users/octocat - 200$`));
    assert.match(run.lines[1], new RegExp(`^ERROR: ${base}/status/404 - http: `));
    assert.match(run.lines[2], new RegExp(`^OK: ${base}/users/torvalds - 200$`));
    assert.match(run.lines[3], new RegExp(`^ERROR: ${base}/users/nobody - refused: `));
    assert.match(run.lines[4], /^ERROR: http:\/\/nonexistent\.example\.invalid\/ - dns: /);
    assert.equal(run.lines.length, 5);
  });

  it('10-semaphore: 100 URLs and the server never sees more than 10 at once, both ways', async () => {
    const run = await runExample('10-semaphore');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.lines.filter((l) => l.startsWith('Loaded')), [
      'Loaded 100 URLs with concurrency 10',
      'Loaded 100 URLs with a Semaphore(10)',
    ]);
    const peaks = run.lines.filter((l) => l.startsWith('server saw')).map((l) => Number(/at most (\d+)/.exec(l)?.[1]));
    assert.equal(peaks.length, 2);
    for (const peak of peaks) assert.ok(peak >= 2 && peak <= 10, `peak ${peak}`);
  });

  it('13-scraper: PageResult rows in order with titles from the HTML parser and the DNS failure', async () => {
    const run = await runExample('13-scraper');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.lines[0], /^OK: http:\/\/www\.python\.gather\.invalid:\d+\/page\/python - 'Page python' \(status 200\)$/);
    assert.match(run.lines[1], /^OK: http:\/\/www\.github\.gather\.invalid:\d+\/page\/github - 'Page github' \(status 200\)$/);
    assert.match(run.lines[2], /^OK: http:\/\/httpbin\.gather\.invalid:\d+\/html - 'Herman Melville - Moby-Dick' \(status 200\)$/);
    assert.match(run.lines[3], /^ERROR: http:\/\/nonexistent\.example\.invalid\/ - no such host/);
    assert.equal(run.lines.length, 4);
  });
});
