// undici.request + p-map, the whole body read, title by regex: the hand-written fast path.
import pMap from 'p-map';
import { request } from 'undici';
import { TITLE, run } from './lib.mjs';

await run('undici + p-map', ({ urls, concurrency }) =>
  pMap(
    urls,
    async (url) => {
      const { statusCode, body } = await request(url);
      const html = await body.text();
      return { url, status: statusCode, title: TITLE.exec(html)?.[1].trim() ?? null };
    },
    { concurrency },
  ),
);
