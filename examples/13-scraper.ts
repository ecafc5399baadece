// Seed: "Practical example: a web scraper". PageResult(url, status, title, error) for every URL, in
// input order, at most 5 at a time, 10 s timeout, titles from a real streaming HTML parser.
import { scrape, type FetchRow } from 'gather/http';
import { createFixtureLookup, startFixtureServer } from 'gather/fixture';

interface PageResult {
  url: string;
  status: number;
  title: string | null;
  error: string | null;
}

function toPageResult(row: FetchRow): PageResult {
  return { url: row.url, status: row.status, title: row.title, error: row.error?.message ?? null };
}

async function scrapeUrls(urls: string[], maxConcurrent = 5): Promise<PageResult[]> {
  // Stand-in names for the seed's sites resolve to the fixture server; anything else is unknown.
  const lookup = createFixtureLookup({ hosts: { '*.gather.invalid': '127.0.0.1' } });
  const rows = await scrape(urls, { concurrency: maxConcurrent, timeout: 10_000, lookup });
  return rows.map(toPageResult);
}

const server = await startFixtureServer();
try {
  const port = server.port;
  const urls = [
    `http://www.python.gather.invalid:${port}/page/python`,
    `http://www.github.gather.invalid:${port}/page/github`,
    `http://httpbin.gather.invalid:${port}/html`,
    'http://nonexistent.example.invalid/',
  ];
  for (const result of await scrapeUrls(urls)) {
    if (result.error) console.log(`ERROR: ${result.url} - ${result.error}`);
    else console.log(`OK: ${result.url} - '${result.title}' (status ${result.status})`);
  }
} finally {
  await server.close();
}
