// Seed: "aiohttp: loading several URLs". Fetch three user records as JSON concurrently; one row per
// URL, in input order. The embedded fixture server stands in for the public API.
import { fetchAll } from 'gather/http';
import { startFixtureServer } from 'gather/fixture';

const server = await startFixtureServer();
try {
  const urls = [`${server.url}/users/octocat`, `${server.url}/users/torvalds`, `${server.url}/users/gvanrossum`];
  const rows = await fetchAll(urls, { json: true });
  for (const row of rows) {
    const user = row.json as { login: string; public_repos: number };
    console.log(`${row.url}: ${row.status} (${user.login}, ${user.public_repos} repositories)`);
  }
} finally {
  await server.close();
}
