import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { RunStats, formatDuration, formatSummary } from '../../src/cli/summary.js';
import { createProgress } from '../../src/cli/progress.js';
import type { FetchErrorCode, FetchRow } from '../../src/http/types.js';

function row(timeMs: number, code: FetchErrorCode | null = null): FetchRow {
  return {
    url: 'https://example.com/',
    ok: code === null,
    status: code === null ? 200 : code === 'http' ? 404 : 0,
    title: null,
    finalUrl: null,
    redirects: 0,
    bytes: 0,
    timeMs,
    attempts: 1,
    error: code === null ? null : { code, message: code },
  };
}

/** Exact nearest-rank percentile of a sorted array. */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/** A small seeded PRNG (mulberry32), so the random sample is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RunStats', () => {
  it('gives the summary text for a small known run', () => {
    const stats = new RunStats();
    const codes: Array<FetchErrorCode | null> = [null, null, null, 'http', null, 'dns', null, null, 'refused'];
    const times = [...Array<number>(18).fill(12), 80, 95];
    times.forEach((t, i) => stats.add(row(t, codes[i] ?? null)));
    const s = stats.summary(1230);
    assert.equal(s.total, 20);
    assert.equal(s.ok, 17);
    assert.equal(s.failed, 3);
    assert.deepEqual(s.errors, { http: 1, dns: 1, refused: 1 });
    assert.equal(
      formatSummary(s),
      '20 URLs in 1.23 s (16.3/s): 17 ok, 3 failed (http 1, dns 1, refused 1)\nlatency p50 12 ms, p95 80 ms, p99 95 ms',
    );
  });

  it('orders error codes by count, most frequent first', () => {
    const stats = new RunStats();
    for (const code of ['dns', 'timeout', 'timeout', 'refused', 'timeout', 'refused'] as const) stats.add(row(5, code));
    assert.deepEqual(Object.entries(stats.summary(1000).errors), [
      ['timeout', 3],
      ['refused', 2],
      ['dns', 1],
    ]);
    assert.equal(
      formatSummary(stats.summary(2000)).split('\n')[0],
      '6 URLs in 2.00 s (3.0/s): 0 ok, 6 failed (timeout 3, refused 2, dns 1)',
    );
  });

  it('handles an empty run and a single URL', () => {
    const empty = new RunStats().summary(0);
    assert.equal(empty.latency, null);
    assert.equal(empty.ratePerSec, 0);
    assert.equal(formatSummary(empty), '0 URLs in 0 ms (0.0/s): 0 ok, 0 failed');

    const one = new RunStats();
    one.add(row(250));
    assert.equal(formatSummary(one.summary(500)), '1 URL in 500 ms (2.0/s): 1 ok, 0 failed\nlatency p50 250 ms, p95 250 ms, p99 250 ms');
  });

  it('ignores a non-finite time instead of poisoning the percentiles', () => {
    const stats = new RunStats();
    stats.add(row(Number.NaN));
    stats.add(row(10));
    const s = stats.summary(100);
    assert.equal(s.total, 2);
    assert.deepEqual(s.latency, { p50: 10, p95: 10, p99: 10, min: 10, max: 10, mean: 10 });
  });

  it('percentiles are within 3% of the exact values on 10,000 random latencies', () => {
    const random = prng(42);
    const stats = new RunStats();
    const sample: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Log-uniform from 0.5 ms to 30 s, with a cluster of fast cache hits: a realistic spread.
      const t = random() < 0.3 ? 1 + random() * 2 : 0.5 * Math.pow(60_000, random());
      sample.push(t);
      stats.add(row(t, i % 10 === 0 ? 'timeout' : null));
    }
    sample.sort((a, b) => a - b);
    const { latency } = stats.summary(10_000);
    assert.ok(latency);
    for (const p of [50, 95, 99] as const) {
      const want = exact(sample, p);
      const got = latency[`p${p}`];
      assert.ok(Math.abs(got - want) / want <= 0.03, `p${p}: got ${got}, exact ${want}`);
    }
    assert.equal(latency.min, sample[0]);
    assert.equal(latency.max, sample[sample.length - 1]);
  });

  it('property: percentiles within 1% for any sample between 0.1 ms and 10 minutes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 600_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (times) => {
          const stats = new RunStats();
          for (const t of times) stats.add(row(t));
          const sorted = [...times].sort((a, b) => a - b);
          const { latency } = stats.summary(1);
          assert.ok(latency);
          for (const p of [50, 95, 99] as const) {
            const want = exact(sorted, p);
            assert.ok(Math.abs(latency[`p${p}`] - want) / want <= 0.01, `p${p} ${latency[`p${p}`]} vs ${want}`);
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('formatDuration', () => {
  it('is short and precise where it matters', () => {
    const cases: Array<[number, string]> = [
      [0, '0 ms'],
      [0.42, '0.4 ms'],
      [12.4, '12 ms'],
      [999.4, '999 ms'],
      [999.6, '1.00 s'],
      [1234, '1.23 s'],
      [12_345, '12.3 s'],
      [125_000, '2m 05s'],
      [3_720_000, '1h 02m'],
      [Number.NaN, '-'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
  });
});

describe('createProgress', () => {
  function terminal(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
    const chunks: string[] = [];
    const w = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString('utf8'));
        cb();
      },
    });
    return Object.assign(w, { isTTY, columns: 80, text: () => chunks.join('') }) as unknown as NodeJS.WriteStream & {
      text: () => string;
    };
  }

  it('prints nothing when stderr is not a terminal', () => {
    const out = terminal(false);
    const progress = createProgress(out, 10);
    for (let i = 0; i < 10; i++) progress.tick(row(1));
    progress.stop();
    assert.equal(out.text(), '');
  });

  it('shows the count, failures and rate, and erases itself on stop (unknown total)', () => {
    const out = terminal(true);
    const progress = createProgress(out, undefined);
    for (let i = 0; i < 5; i++) progress.tick(row(1, i === 0 ? 'dns' : null));
    progress.stop();
    progress.stop(); // idempotent
    const text = out.text();
    assert.match(text, /5 done \| [\d.]+\/s \| 4 ok, 1 failed \| \d+ s/);
    assert.ok(text.endsWith('\x1b[1G\x1b[0J'), JSON.stringify(text.slice(-20))); // line cleared for the summary
  });

  it('shows a bar, the total and an ETA when the total is known', () => {
    const out = terminal(true);
    const progress = createProgress(out, 4);
    for (let i = 0; i < 4; i++) progress.tick(row(1));
    progress.stop();
    assert.match(out.text(), /█+ 100% 4\/4 \| [\d.]+\/s \| ETA 0 s \| 4 ok, 0 failed/);
  });

  it('prints logged lines above the bar, in order, none lost at stop', () => {
    const out = terminal(true);
    const progress = createProgress(out, 3);
    progress.log('row 1\n');
    progress.tick(row(1));
    progress.log('row 2\nrow 3\n');
    progress.stop();
    const text = out.text();
    assert.ok(text.indexOf('row 1\n') < text.indexOf('row 2\nrow 3\n'), JSON.stringify(text));
    // the bar was redrawn after the rows, then erased: the rows stay on screen
    assert.ok(text.lastIndexOf('row 3\n') < text.lastIndexOf('ETA'), JSON.stringify(text));
    progress.log('after\n');
    assert.ok(out.text().endsWith('after\n'), 'after stop, text goes straight out');
  });
});

describe('formatSummary at 80 columns', () => {
  it('moves many error codes to a line of their own so no line passes 79 columns', () => {
    const stats = new RunStats();
    for (const code of ['http', 'refused', 'dns', 'timeout', 'unsupported_scheme', 'invalid_url'] as const) stats.add(row(10, code));
    for (let i = 0; i < 6; i++) stats.add(row(10));
    const text = formatSummary(stats.summary(1680));
    assert.equal(
      text,
      '12 URLs in 1.68 s (7.1/s): 6 ok, 6 failed\n  http 1, refused 1, dns 1, timeout 1, unsupported_scheme 1, invalid_url 1\nlatency p50 10 ms, p95 10 ms, p99 10 ms',
    );
    const many = new RunStats();
    const codes = ['http', 'refused', 'dns', 'timeout', 'unsupported_scheme', 'invalid_url', 'tls', 'reset', 'too_large', 'bad_body', 'too_many_redirects'] as const;
    codes.forEach((code, i) => { for (let k = 0; k <= i * 400; k++) many.add(row(1, code)); });
    const lines = formatSummary(many.summary(1000)).split('\n');
    assert.ok(lines.length >= 4, lines.join('\n'));
    for (const line of lines) assert.ok(line.length <= 79, `${line.length}: ${line}`);
  });
});
