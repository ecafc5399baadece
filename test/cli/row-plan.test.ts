// RowPlan (the merge behind --resume and --dedupe): a fast-check property over random inputs, kept
// rows and repeats, and the early-exit path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RowPlan } from '../../src/cli/row-plan.js';
import type { FetchRow } from '../../src/http/types.js';

const rowFor = (url: string, tag: string): FetchRow => ({
  url, ok: true, status: 200, title: tag, finalUrl: url, redirects: 0, bytes: 0, timeMs: 0, attempts: 1, error: null,
});

/** fetchAll's stand-in: one row per URL pulled, in order, pulling lazily. */
async function* fetchEach(urls: AsyncIterable<string>, fetched: string[]): AsyncGenerator<FetchRow> {
  for await (const url of urls) {
    fetched.push(url);
    await Promise.resolve();
    yield rowFor(url, 'fetched');
  }
}

test('property: every input line gets exactly one row, in order; kept lines and repeats are never fetched', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.constantFrom('http://a.test/1', 'HTTP://A.test:80/1#x', 'http://a.test/2', 'http://b.test/'), { maxLength: 40 }),
      fc.array(fc.boolean(), { maxLength: 40 }),
      fc.boolean(),
      async (input, keepFlags, dedupe) => {
        const kept = new Map<number, FetchRow>();
        input.forEach((url, i) => keepFlags[i] && kept.set(i, rowFor(url, 'kept')));
        const keptBefore = new Map(kept);
        const plan = new RowPlan(input, { kept, dedupe });
        const fetched: string[] = [];
        const rows: FetchRow[] = [];
        for await (const row of plan.rows(fetchEach(plan.urls, fetched))) rows.push(row);
        assert.deepEqual(rows.map((r) => r.url), input);
        const firstOf = new Map<string, number>();
        let expectedFetches = 0;
        input.forEach((url, i) => {
          const key = new URL(url).href.replace(/#.*$/, '');
          const first = firstOf.get(key);
          if (first === undefined) firstOf.set(key, i);
          if (keptBefore.has(i)) assert.equal(rows[i], keptBefore.get(i));
          else if (dedupe && first !== undefined) assert.equal(rows[i]!.duplicateOf, first);
          else (expectedFetches++, assert.equal(rows[i]!.title, 'fetched'));
        });
        assert.equal(fetched.length, expectedFetches);
        assert.deepEqual(plan.leftovers(), []);
      },
    ),
  );
});

test('leaving early: the fetched stream is closed, and kept rows not reached are the leftovers, in order', async () => {
  const input = ['http://a.test/0', 'http://a.test/1', 'http://a.test/2', 'http://a.test/3'];
  const kept = new Map([[2, rowFor(input[2]!, 'kept')], [3, rowFor(input[3]!, 'kept')]]);
  const plan = new RowPlan(input, { kept });
  let closed = false;
  async function* fetched(): AsyncGenerator<FetchRow> {
    try {
      for await (const url of plan.urls) yield rowFor(url, 'fetched');
    } finally {
      closed = true;
    }
  }
  for await (const row of plan.rows(fetched())) if (row.url === input[0]) break;
  assert.equal(closed, true);
  assert.deepEqual(plan.leftovers().map((r) => r.url), [input[2], input[3]]);
});
