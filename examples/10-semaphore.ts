// Seed: "Limiting concurrency". 100 URLs, never more than 10 requests in flight: the server counts
// them. First with the http layer's `concurrency`, then with the core's Semaphore around jobs, the
// seed's own pattern.
import { gather, Semaphore } from 'gather';
import { fetchAll, fetchOne } from 'gather/http';
import { startFixtureServer } from 'gather/fixture';

const server = await startFixtureServer();
try {
  const urls = Array.from({ length: 100 }, (_, i) => `${server.url}/delay/20?id=${i}`);

  const rows = await fetchAll(urls, { concurrency: 10 });
  console.log(`Loaded ${rows.filter((row) => row.ok).length} URLs with concurrency 10`);
  console.log(`server saw at most ${server.stats().maxInFlight} requests at once`);

  server.resetStats();
  const semaphore = new Semaphore(10);
  const results = await gather(urls.map((url) => () => semaphore.use(() => fetchOne(url))));
  console.log(`Loaded ${results.filter((row) => row.ok).length} URLs with a Semaphore(10)`);
  console.log(`server saw at most ${server.stats().maxInFlight} requests at once`);
} finally {
  await server.close();
}
