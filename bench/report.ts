// The outputs: one Markdown table (stdout, bench/results.md), bench/results.json, and an SVG bar
// chart of the ratios drawn by hand (no dependencies).
import type { RowOutcome, ScenarioResult } from './runner.js';

const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function seconds(s: number): string {
  return s >= 10 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3);
}

function medianCell(row: RowOutcome): string {
  if (row.status === 'skipped' || row.status === 'fixed') return row.note ?? '';
  if (row.status === 'failed') return `FAILED: ${(row.note ?? '').split('\n')[0]}`;
  if (row.seconds === undefined) return '';
  return row.rps === undefined ? seconds(row.seconds) : `${seconds(row.seconds)} (${num(row.rps)} req/s)`;
}

function ratioCell(scenario: ScenarioResult, row: RowOutcome): string {
  if (row.ratio === undefined) return '';
  if (row.label === scenario.reference) return '1.00x (ref)';
  return `${row.ratio.toFixed(2)}x`;
}

function metCell(row: RowOutcome): string {
  return row.targets.map((t) => (t.met === null ? 'n/a' : `${t.met ? 'yes' : '**NO**'} (${t.shown})`)).join('; ');
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table: scenario | peer | median s | peak RSS MB | ratio vs reference | target | met? */
export function formatTable(scenarios: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | peer | median s | peak RSS MB | ratio vs reference | target | met? |',
    '|---|---|--:|--:|--:|---|---|',
  ];
  for (const scenario of scenarios) {
    scenario.rows.forEach((row, i) => {
      const sense = scenario.metric === 'rps' ? ' (req/s, higher is better)' : ' (time, lower is better)';
      const cells = [
        i === 0 ? `**${scenario.title}**${sense}` : '',
        row.role === 'gather' ? `**${row.label}**` : row.label,
        medianCell(row),
        row.rssMB == null ? '' : num(row.rssMB),
        ratioCell(scenario, row),
        row.targets.map((t) => t.text).join('; '),
        metCell(row),
      ];
      lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    });
  }
  return lines.join('\n');
}

/** Targets met / missed / undecided, for the summary line. */
export function countTargets(scenarios: readonly ScenarioResult[]): { met: number; missed: number; undecided: number } {
  const counts = { met: 0, missed: 0, undecided: 0 };
  for (const scenario of scenarios) {
    for (const row of scenario.rows) {
      for (const target of row.targets) {
        if (target.met === null) counts.undecided++;
        else if (target.met) counts.met++;
        else counts.missed++;
      }
    }
  }
  return counts;
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS: Record<RowOutcome['role'], string> = {
  gather: '#2563eb',
  reference: '#4b5563',
  library: '#9ca3af',
  info: '#c4b5a0',
  ceiling: '#65a30d',
};

/**
 * A horizontal bar chart: one panel per scenario, one bar per row, the bar the row's ratio to the
 * reference on a log2 axis (time: lower is better; req/s: higher is better), labelled with the
 * ratio and the absolute number.
 */
export function renderSvg(scenarios: readonly ScenarioResult[], caption: string): string {
  const width = 900;
  const labelWidth = 320;
  const chartWidth = 400;
  const barHeight = 16;
  const gap = 4;
  const ratios = scenarios.flatMap((s) => s.rows.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio])));
  const lo = Math.min(0.5, ...ratios.map((r) => 2 ** Math.floor(Math.log2(r))));
  const hi = Math.max(2, ...ratios.map((r) => 2 ** Math.ceil(Math.log2(r))));
  const xOf = (ratio: number): number => labelWidth + ((Math.log2(ratio) - Math.log2(lo)) / (Math.log2(hi) - Math.log2(lo))) * chartWidth;
  const parts: string[] = [];
  let y = 34;
  for (const scenario of scenarios) {
    y += 22;
    const sense = scenario.metric === 'rps' ? 'req/s vs reference, longer is better' : 'time vs reference, shorter is better';
    parts.push(`<text x="10" y="${y}"><tspan class="h">${xml(scenario.title)}</tspan><tspan class="s" dx="8">${xml(sense)}</tspan></text>`);
    y += 8;
    const top = y;
    const gridAt = parts.length; // grid lines go under the bars
    for (const row of scenario.rows) {
      const mid = y + barHeight / 2 + 4;
      parts.push(`<text x="${labelWidth - 8}" y="${mid}" class="${row.role === 'gather' ? 'g' : 'l'}" text-anchor="end">${xml(row.label)}</text>`);
      if (row.ratio !== undefined && row.seconds !== undefined) {
        const x0 = xOf(lo);
        const x1 = Math.max(x0 + 1, xOf(row.ratio));
        const absolute = row.rps === undefined ? `${seconds(row.seconds)} s` : `${num(row.rps)} req/s`;
        parts.push(`<rect x="${x0.toFixed(1)}" y="${y}" width="${(x1 - x0).toFixed(1)}" height="${barHeight}" fill="${COLORS[row.role]}"/>`);
        parts.push(`<text x="${(x1 + 6).toFixed(1)}" y="${mid}" class="v">${row.ratio.toFixed(2)}x  ${xml(absolute)}</text>`);
      } else {
        const text = row.status === 'failed' ? 'failed' : (row.note ?? '');
        parts.push(`<text x="${labelWidth + 4}" y="${mid}" class="n">${xml(text.length > 70 ? `${text.slice(0, 67)}...` : text)}</text>`);
      }
      y += barHeight + gap;
    }
    const grid: string[] = [];
    for (let t = lo; t <= hi; t *= 2) {
      const tx = xOf(t).toFixed(1);
      grid.push(`<line x1="${tx}" y1="${top - 2}" x2="${tx}" y2="${y}" class="${t === 1 ? 'one' : 'grid'}"/>`);
    }
    parts.splice(gridAt, 0, ...grid);
  }
  y += 16;
  const ticks: string[] = [];
  for (let t = lo; t <= hi; t *= 2) {
    const tx = xOf(t).toFixed(1);
    ticks.push(`<text x="${tx}" y="${y}" class="s" text-anchor="middle">${t >= 1 ? t : `1/${1 / t}`}x</text>`);
  }
  const height = y + 14;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    '<style>.h{font-size:13px;font-weight:600;fill:#111}.l{font-size:12px;fill:#333}.g{font-size:12px;font-weight:700;fill:#1d4ed8}.v{font-size:11px;fill:#333}.n{font-size:11px;fill:#888;font-style:italic}.s{font-size:10px;fill:#777}.one{stroke:#111;stroke-dasharray:3 3}.grid{stroke:#e5e7eb}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" class="h">gather benchmarks</text>`,
    `<text x="${width - 10}" y="20" class="s" text-anchor="end">${xml(caption)}</text>`,
    ...parts,
    ...ticks,
    '</svg>',
    '',
  ].join('\n');
}
