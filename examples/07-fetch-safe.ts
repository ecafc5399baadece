// Seed: "Error handling". A 404, a refused connection and a name that does not resolve each become
// that URL's error, with a code you can act on; the other URLs are unaffected.
import { fetchAll } from 'gather/http';
import { createFixtureLookup, refusedPort, startFixtureServer } from 'gather/fixture';

const server = await startFixtureServer();
try {
  const urls = [
    `${server.url}/users/octocat`,
    `${server.url}/status/404`,
    `${server.url}/users/torvalds`,
    `http://127.0.0.1:${await refusedPort()}/users/nobody`,
    'http://nonexistent.example.invalid/',
  ];
  // Made-up names resolve through an injected lookup: no DNS query leaves the machine.
  const lookup = createFixtureLookup({ hosts: {} });
  const rows = await fetchAll(urls, { json: true, lookup });
  for (const row of rows) {
    if (row.error) console.log(`ERROR: ${row.url} - ${row.error.code}: ${row.error.message}`);
    else console.log(`OK: ${row.url} - ${row.status}`);
  }
} finally {
  await server.close();
}
