// gather's library API: fetchAll from the built package (gather/http).
import { requireBuilt, run } from './lib.mjs';

requireBuilt('dist/http/index.js');
const http = await import('gather/http');
if (typeof http.fetchAll !== 'function') {
  process.stdout.write(`${JSON.stringify({ ok: true, skipped: 'not built yet (gather/http has no fetchAll)' })}\n`);
  process.exit(0);
}

await run('gather fetchAll', ({ urls, concurrency }) => http.fetchAll(urls, { concurrency }));
