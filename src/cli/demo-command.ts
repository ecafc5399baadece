/**
 * `gather demo` (what `npm start` runs): the seed's web scraper story, for real, against the
 * embedded fixture server: good pages, a 404, a refused port, a name that does not resolve, a slow
 * page and a hanging one, fetched concurrently (limit 5) and printed as a table in input order.
 */
import { createFixtureLookup, refusedPort, startFixtureServer } from '../fixture/index.js';
import { runFetch } from './fetch-command.js';
import type { CliIo } from './io.js';

const CONCURRENCY = 5;
const TIMEOUT_MS = 1500;

/**
 * Runs the demo and returns 0 when every row came out as the story expects (some rows are meant
 * to fail: that is the point of the story).
 *
 * @example
 * ```ts
 * const status = await runDemo({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runDemo(io: CliIo): Promise<number> {
  const server = await startFixtureServer();
  try {
    const port = server.port;
    const base = server.url;
    const urls = [
      `${base}/html`,
      `http://pages.gather.invalid:${port}/page/1`,
      `${base}/charset/windows-1251`,
      `${base}/redirect/2`,
      `${base}/gzip`,
      `${base}/status/404`,
      `http://127.0.0.1:${await refusedPort()}/`,
      'http://nonexistent.example.invalid/',
      `${base}/delay/800`,
      `${base}/hang`,
      'ftp://files.gather.invalid/report.pdf',
      'not a url',
    ];
    // Each header line fits in 80 columns, like the table under it.
    io.stderr.write(
      `gather demo: the seed's scraper against the fixture server (${base.replace('http://', '')})\n` +
        `${urls.length} URLs, ${CONCURRENCY} at a time, ${TIMEOUT_MS / 1000} s per URL; *.gather.invalid resolves to 127.0.0.1\n\n`,
    );
    const lookup = createFixtureLookup({ hosts: { '*.gather.invalid': '127.0.0.1' } });
    const status = await runFetch(
      urls,
      { fetch: { concurrency: CONCURRENCY, timeout: TIMEOUT_MS, retries: 1, lookup }, format: 'table', columns: 80, total: urls.length },
      io,
    );
    // Failures are part of the story; only an interruption is not a successful demo.
    return status > 1 ? status : 0;
  } finally {
    await server.close();
  }
}
