// Measures one scenario: a warm-up of each row, then rounds that run every row once in turn (so a
// noisy minute hits all rows alike), medians, ratios against the reference row, targets.
import { measure, median, type Command, type Sample } from './measure.js';
import { peerLabel, type Context, type Role, type RowResult, type ScenarioDef, type Size } from './scenarios.js';

export interface Plan {
  warmups: number;
  runs: number;
  /** Rows whose warm-up took longer than `slowAfterSeconds` get `slowRuns` runs instead. */
  slowRuns: number;
  slowAfterSeconds: number;
}

export function planFor(size: Size, def: ScenarioDef): Plan {
  if (size === 'smoke') return { warmups: 0, runs: 1, slowRuns: 1, slowAfterSeconds: Infinity };
  if (size === 'quick') return { warmups: 1, runs: 3, slowRuns: 3, slowAfterSeconds: Infinity };
  if (def.heavy) return { warmups: 1, runs: 3, slowRuns: 3, slowAfterSeconds: Infinity };
  if (def.section === 'http') return { warmups: 1, runs: 5, slowRuns: 3, slowAfterSeconds: 8 };
  return { warmups: 1, runs: 5, slowRuns: 3, slowAfterSeconds: 2.5 };
}

export interface TargetOutcome {
  text: string;
  /** null: could not be decided (a row missing). */
  met: boolean | null;
  shown: string;
}

export interface RowOutcome {
  label: string;
  role: Role;
  status: 'measured' | 'skipped' | 'fixed' | 'failed';
  /** Skip reason, fixed text, or the error. */
  note?: string;
  samples: Sample[];
  /** Medians over the samples. */
  seconds?: number;
  wallMs?: number;
  workMs?: number;
  rssMB?: number | null;
  /** Requests per second (rps scenarios): requests / median seconds. */
  rps?: number;
  /** time: seconds / reference seconds; rps: rps / reference rps. */
  ratio?: number;
  targets: TargetOutcome[];
}

export interface ScenarioResult {
  id: string;
  section: string;
  title: string;
  metric: 'time' | 'rps';
  inProcess: boolean;
  requests?: number;
  plan: Plan;
  reference: string;
  rows: RowOutcome[];
}

export interface RunHooks {
  /** Progress lines (stderr in run.ts). */
  log?(line: string): void;
  /** After each measurement, e.g. to read the fixture server's counters into `sample.extra`. */
  afterEach?(sample: Sample): Promise<void>;
}

export async function runScenario(def: ScenarioDef, ctx: Context, plan: Plan, hooks: RunHooks = {}): Promise<ScenarioResult> {
  const log = hooks.log ?? (() => {});
  const title = def.title(ctx);
  const rows: RowOutcome[] = [];
  const commands = new Map<RowOutcome, Command>();
  for (const peer of def.peers) {
    const row: RowOutcome = { label: peerLabel(peer, ctx), role: peer.role, status: 'measured', samples: [], targets: [] };
    rows.push(row);
    if (peer.fixed !== undefined || !peer.command) {
      row.status = 'fixed';
      row.note = peer.fixed ?? 'not run';
      continue;
    }
    try {
      const command = peer.command(ctx);
      if ('skip' in command) {
        row.status = 'skipped';
        row.note = command.skip;
      } else {
        commands.set(row, command);
      }
    } catch (error) {
      row.status = 'failed';
      row.note = error instanceof Error ? error.message : String(error);
    }
  }

  const wanted = new Map<RowOutcome, number>();
  const once = async (row: RowOutcome, what: string): Promise<Sample | undefined> => {
    const command = commands.get(row);
    if (!command || row.status !== 'measured') return undefined;
    try {
      const outcome = await measure(command);
      if (outcome.kind === 'skipped') {
        row.status = 'skipped';
        row.note = outcome.reason;
        log(`  ${row.label}: ${outcome.reason}`);
        return undefined;
      }
      await hooks.afterEach?.(outcome.sample);
      log(`  ${row.label} ${what}: ${outcome.sample.seconds.toFixed(3)} s, ${mb(outcome.sample.rssKB)} MB`);
      return outcome.sample;
    } catch (error) {
      row.status = 'failed';
      row.note = error instanceof Error ? error.message : String(error);
      log(`  ${row.label} FAILED: ${row.note}`);
      return undefined;
    }
  };

  log(`${def.section}: ${title}`);
  for (const row of rows) {
    let slow = false;
    for (let w = 0; w < plan.warmups; w++) {
      const sample = await once(row, 'warm-up');
      if (sample && sample.seconds > plan.slowAfterSeconds) slow = true;
    }
    wanted.set(row, slow ? plan.slowRuns : plan.runs);
  }
  const rounds = Math.max(plan.runs, plan.slowRuns);
  for (let round = 0; round < rounds; round++) {
    // Each round starts at a different row: whichever row runs first after a heavy one (wrk, a
    // 10^7-item peer) gets a quieter machine, and that advantage must not always go to the same row.
    const order = rows.map((_, i) => rows[(i + round) % rows.length]);
    for (const row of order) {
      if (round >= (wanted.get(row) ?? 0)) continue;
      const sample = await once(row, `run ${round + 1}/${wanted.get(row)}`);
      if (sample) row.samples.push(sample);
    }
  }

  const requests = def.requests?.(ctx);
  for (const row of rows) {
    if (row.status !== 'measured' || row.samples.length === 0) continue;
    row.seconds = median(row.samples.map((s) => s.seconds));
    row.wallMs = median(row.samples.map((s) => s.wallMs));
    const work = row.samples.flatMap((s) => (s.workMs === undefined ? [] : [s.workMs]));
    if (work.length > 0) row.workMs = median(work);
    const rss = row.samples.flatMap((s) => (s.rssKB === null ? [] : [s.rssKB]));
    row.rssMB = rss.length > 0 ? median(rss) / 1024 : null;
    if (requests !== undefined) row.rps = requests / row.seconds;
  }

  const referenceRow = rows.find((row) => row.role === 'reference');
  const refSeconds = referenceRow?.seconds;
  if (refSeconds !== undefined) {
    for (const row of rows) {
      if (row.seconds === undefined) continue;
      row.ratio = def.metric === 'time' ? row.seconds / refSeconds : refSeconds / row.seconds;
    }
  }

  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const get = (label: string): RowResult | undefined => {
    const row = byLabel.get(label);
    return row?.seconds === undefined ? undefined : { seconds: row.seconds, rssMB: row.rssMB ?? null };
  };
  for (const target of def.targets) {
    const row = byLabel.get(target.row);
    if (!row) continue;
    const verdict = target.evaluate(get);
    row.targets.push({ text: target.text, met: verdict?.met ?? null, shown: verdict?.shown ?? 'n/a' });
  }

  return {
    id: def.id,
    section: def.section,
    title,
    metric: def.metric,
    inProcess: def.inProcess === true,
    requests,
    plan,
    reference: referenceRow?.label ?? '',
    rows,
  };
}

const mb = (kb: number | null): string => (kb === null ? '?' : (kb / 1024).toFixed(0));
