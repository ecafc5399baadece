// Node's global fetch + p-map, title by regex: what most people write first.
import pMap from 'p-map';
import { TITLE, run } from './lib.mjs';

await run('fetch + p-map', ({ urls, concurrency }) =>
  pMap(
    urls,
    async (url) => {
      const response = await fetch(url);
      const html = await response.text();
      return { url, status: response.status, title: TITLE.exec(html)?.[1].trim() ?? null };
    },
    { concurrency },
  ),
);
