// Keeps the benchmarks from rotting: every scenario row runs once with a tiny input, in its own
// process as in `npm run bench`, and must print a verified result (or an expected skip: a tool not
// installed, a part not built yet). Nothing is timed or compared here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureProcess, writeUrlFile, type FixtureProcess } from '../../bench/http/setup.js';
import { countTargets, formatTable, renderSvg } from '../../bench/report.js';
import { planFor, runScenario, type ScenarioResult } from '../../bench/runner.js';
import { SCENARIOS, SIZES, isExpectedSkip, type Context } from '../../bench/scenarios.js';
import { detectTools } from '../../bench/tools.js';

const ctx: Context = { size: 'smoke', tools: detectTools() };
const results: ScenarioResult[] = [];
let server: FixtureProcess;
let tmp: string;

before(async () => {
  server = await startFixtureProcess();
  tmp = mkdtempSync(join(tmpdir(), 'gather-bench-smoke-'));
  const urlFile = join(tmp, 'urls.txt');
  const urls = writeUrlFile(urlFile, server.url, SIZES.smoke.pages);
  ctx.http = { base: server.url, urlFile, urls, outDir: tmp };
});

after(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('bench smoke (tiny N, every row once)', { timeout: 60_000 }, () => {
  for (const def of SCENARIOS) {
    it(`${def.section}: ${def.id}`, async () => {
      const result = await runScenario(def, ctx, planFor('smoke', def));
      results.push(result);
      for (const row of result.rows) {
        if (row.status === 'fixed') continue;
        if (row.status === 'skipped') {
          assert.ok(isExpectedSkip(row.note ?? ''), `${row.label}: unexpected skip: ${row.note}`);
          continue;
        }
        assert.equal(row.status, 'measured', `${row.label}: ${row.note}`);
        assert.equal(row.samples.length, 1, `${row.label}: one sample`);
        assert.ok(row.seconds! > 0, `${row.label}: a time`);
        assert.ok(row.rssMB === null || row.rssMB! > 0, `${row.label}: a peak RSS`);
      }
      assert.ok(result.rows.some((row) => row.role === 'reference' && row.status === 'measured'), 'the reference row ran');
    });
  }

  it('renders the table and the SVG from the results', () => {
    const table = formatTable(results);
    assert.match(table, /^\| scenario \| peer \| median s \| peak RSS MB \| ratio vs reference \| target \| met\? \|/);
    assert.ok(table.includes('1.00x (ref)'));
    const svg = renderSvg(results, 'smoke');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.equal((svg.match(/<rect /g) ?? []).length - 1, results.flatMap((s) => s.rows).filter((r) => r.ratio !== undefined).length);
    const counts = countTargets(results);
    assert.ok(counts.met + counts.missed + counts.undecided > 0);
  });
});
