// Title cost against page size: REPS distinct pages /page/{i}?size=BYTES (title in the head),
// fetched at a low concurrency, each title checked. `--client fetchall` is gather's library (stops
// reading once the title is known); `--client undici` reads the whole body (the contrast).
// `node bench/http/title-cost.mjs --base URL --size BYTES --reps R [--concurrency 1] --client fetchall|undici`
import { parseArgs } from 'node:util';
import { expectedTitle, fail, requireBuilt, skip, undiciTitle } from './lib.mjs';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    size: { type: 'string' },
    reps: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
    client: { type: 'string', default: 'fetchall' },
  },
});
const size = Number(values.size);
const reps = Number(values.reps);
const concurrency = Number(values.concurrency);
if (!values.base || !(size > 0) || !(reps > 0) || !(concurrency > 0)) fail(`bad arguments ${JSON.stringify(values)}`);
const urls = Array.from({ length: reps }, (_, i) => `${values.base}/page/${i + 1}?size=${size}`);

let fetchRows;
if (values.client === 'fetchall') {
  requireBuilt('dist/http/index.js');
  const http = await import('gather/http');
  if (typeof http.fetchAll !== 'function') skip('not built yet (gather/http has no fetchAll)');
  fetchRows = () => http.fetchAll(urls, { concurrency });
} else if (values.client === 'undici') {
  const [{ request }, { default: pMap }] = await Promise.all([import('undici'), import('p-map')]);
  fetchRows = () =>
    pMap(
      urls,
      (url) => undiciTitle(request, url),
      { concurrency },
    );
} else {
  fail(`unknown --client ${values.client}`);
}

const started = performance.now();
let rows;
try {
  rows = await fetchRows();
} catch (error) {
  fail(`${values.client} threw: ${error?.stack ?? error}`);
}
const workMs = performance.now() - started;
if (rows.length !== reps) fail(`expected ${reps} rows, got ${rows.length}`);
rows.forEach((row, i) => {
  if (row.status !== 200 || row.title !== expectedTitle(urls[i])) fail(`row ${i} is wrong: ${JSON.stringify(row)}`);
});
process.stdout.write(
  `${JSON.stringify({
    ok: true,
    peer: values.client,
    size,
    reps,
    verified: true,
    workMs: Math.round(workMs * 100) / 100,
    wallMs: Math.round(performance.now() * 100) / 100,
    maxRssKB: process.resourceUsage().maxRSS,
  })}\n`,
);
process.exit(0);
