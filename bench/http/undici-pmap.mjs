// undici.request + p-map, the whole body read, title by regex: the hand-written fast path.
import pMap from 'p-map';
import { request } from 'undici';
import { run, undiciTitle } from './lib.mjs';

await run('undici + p-map', ({ urls, concurrency }) =>
  pMap(
    urls,
    (url) => undiciTitle(request, url),
    { concurrency },
  ),
);
