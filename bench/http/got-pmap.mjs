// got + p-map, title by regex. got's defaults (Node 20's keep-alive global agent), no retries.
import got from 'got';
import pMap from 'p-map';
import { TITLE, run } from './lib.mjs';

await run('got + p-map', ({ urls, concurrency }) =>
  pMap(
    urls,
    async (url) => {
      const response = await got(url, { retry: { limit: 0 }, throwHttpErrors: false });
      return { url, status: response.statusCode, title: TITLE.exec(response.body)?.[1].trim() ?? null };
    },
    { concurrency },
  ),
);
