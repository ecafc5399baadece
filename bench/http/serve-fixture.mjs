// The fixture server in its own process, so a client process is measured alone.
// Prints one JSON line `{"url": "http://127.0.0.1:PORT"}` once listening. On stdin, the line
// `stats` answers with `{"requests": N, "maxInFlight": M}` and zeroes the counters; closing stdin
// (or SIGTERM) closes the server and exits.
import { createInterface } from 'node:readline';
import { startFixtureServer } from 'gather/fixture';

const server = await startFixtureServer({ port: Number(process.env.FIXTURE_PORT ?? 0) });
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const { requests, maxInFlight } = server.stats();
  server.resetStats();
  process.stdout.write(`${JSON.stringify({ requests, maxInFlight })}\n`);
});
lines.on('close', stop);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
