// `npm run bench [-- --quick] [-- --only core|http]`: measures gather against its peers, prints one
// table, writes bench/results.{json,svg,md} (a full run; --quick writes to bench/.tmp/).
// Progress goes to stderr, the table to stdout.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFixtureProcess, writeUrlFile, type FixtureProcess } from './http/setup.js';
import { describeMachine, type Machine } from './machine.js';
import { countTargets, formatTable, renderSvg } from './report.js';
import { planFor, runScenario, type RunHooks, type ScenarioResult } from './runner.js';
import { ROOT, SCENARIOS, SIZES, type Context, type Section, type Size } from './scenarios.js';
import { detectTools } from './tools.js';

const USAGE = `usage: npm run bench [-- --quick] [-- --only core|http]
  --quick        fewer runs (1 warm-up + 3) and 10x smaller inputs; results go to bench/.tmp/
  --only NAME    one section: core (scheduling, memory) or http (fetching from the fixture server)`;

interface SectionResults {
  machine: Machine;
  size: Size;
  scenarios: ScenarioResult[];
}

interface ResultsFile {
  about: string;
  machine: Machine;
  sections: Partial<Record<Section, SectionResults>>;
}

function options(): { size: Size; sections: Section[] } {
  let values: { quick?: boolean; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.only !== undefined && values.only !== 'core' && values.only !== 'http') {
    console.error(`--only takes core or http, got ${JSON.stringify(values.only)}\n${USAGE}`);
    process.exit(2);
  }
  return { size: values.quick ? 'quick' : 'full', sections: values.only ? [values.only as Section] : ['core', 'http'] };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function runSection(section: Section, ctx: Context): Promise<ScenarioResult[]> {
  const hooks: RunHooks = { log };
  let server: FixtureProcess | undefined;
  if (section === 'http') {
    server = await startFixtureProcess();
    const tmp = join(ROOT, 'bench/.tmp');
    const urlFile = join(tmp, 'urls.txt');
    const urls = writeUrlFile(urlFile, server.url, SIZES[ctx.size].pages);
    ctx.http = { base: server.url, urlFile, urls, outDir: tmp };
    log(`fixture server (own process, pid ${server.pid}) at ${server.url}; ${urls.length} URLs in ${urlFile}`);
    const fixture = server;
    await fixture.stats(); // zero the counters
    hooks.afterEach = async (sample) => {
      const stats = await fixture.stats();
      // What the server answered during that run (a check that the client really made the requests).
      sample.extra.serverRequests = stats.requests;
    };
  }
  try {
    const results: ScenarioResult[] = [];
    for (const def of SCENARIOS.filter((s) => s.section === section)) {
      results.push(await runScenario(def, ctx, planFor(ctx.size, def), hooks));
    }
    return results;
  } finally {
    await server?.close();
    delete ctx.http;
  }
}

function readResults(file: string): ResultsFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

function caption(machine: Machine, size: Size): string {
  return `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date.slice(0, 10)}${size === 'full' ? '' : ` (${size} run)`}`;
}

async function main(): Promise<void> {
  const { size, sections } = options();
  const tools = detectTools();
  const machine = describeMachine(tools);
  log(`gather bench (${size}): ${caption(machine, size)}`);
  if (!tools.wrk) log('note: wrk not found: the HTTP ceiling row uses autocannon on one page');
  if (!tools.python) log('note: no python3 with aiohttp: the aiohttp row is skipped');
  if (!tools.time) log('note: /usr/bin/time not found: no peak RSS for the CLI, aiohttp and wrk rows');

  const ctx: Context = { size, tools };
  const fresh: Partial<Record<Section, SectionResults>> = {};
  for (const section of sections) fresh[section] = { machine, size, scenarios: await runSection(section, ctx) };

  const outDir = size === 'full' ? join(ROOT, 'bench') : join(ROOT, 'bench/.tmp');
  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, size === 'full' ? 'results.json' : `results-${size}.json`);
  // A full run of one section keeps the other section's last results.
  const previous = size === 'full' ? readResults(jsonFile) : undefined;
  const merged: ResultsFile = {
    about: 'npm run bench: whole-process medians of separate node processes (see bench/README-section.md)',
    machine,
    sections: { ...previous?.sections, ...fresh },
  };
  const all = (['core', 'http'] as const).flatMap((s) => merged.sections[s]?.scenarios ?? []);
  const svgFile = jsonFile.replace(/\.json$/, '.svg');
  const mdFile = jsonFile.replace(/\.json$/, '.md');
  writeFileSync(jsonFile, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(svgFile, renderSvg(all, caption(machine, size)));
  writeFileSync(mdFile, `${formatTable(all)}\n\n${caption(machine, size)}\n`);

  const ran = sections.flatMap((s) => fresh[s]?.scenarios ?? []);
  console.log(formatTable(ran));
  const counts = countTargets(ran);
  console.log(`\ntargets: ${counts.met} met, ${counts.missed} missed, ${counts.undecided} undecided. ${caption(machine, size)}`);
  console.log(`wrote ${jsonFile}, ${svgFile}, ${mdFile}`);
  const failed = ran.flatMap((s) => s.rows.filter((r) => r.status === 'failed').map((r) => `${s.id} / ${r.label}`));
  if (failed.length > 0) {
    console.error(`\nfailed rows (wrong results or a crash): ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
