/**
 * One URL to one {@link FetchRow}: parse the target, then run its hop loop (url-job.ts) under the
 * URL's deadlines. Every failure becomes the row's `error` and nothing is thrown; a URL cut short
 * by the run's cancellation is an `aborted` row (fetchAll's map then ends the run with
 * `CancelledError` once every started URL has its row).
 *
 * The steps of a fetch, one module each: target.ts (what to fetch), context.ts (the run's agent,
 * DNS cache, host limits), url-job.ts (the hop loop), deadline.ts (the URL's clock), exchange.ts
 * (one request as an undici handler), steps.ts (redirect and retry decisions), body.ts
 * (decompression and limits), readers.ts (title and JSON).
 */
import { createRunContext, type RunContext } from './context.js';
import { resolveOptions, type FetchOptions } from './options.js';
import { emptyRow, parseTarget, splitCredentials } from './target.js';
import type { FetchRow } from './types.js';
import { UrlJob } from './url-job.js';

export { parseTarget } from './target.js';

/**
 * Fetches one URL with a run context of the caller's: the building block of fetchAll. Resolves to
 * the row and never rejects: when `signal` aborts, the row has error code `aborted`. `admittedHost`:
 * the host whose start permits (per-host slot, rate) the caller already took for this URL (the
 * scheduler's).
 *
 * @example
 * ```ts
 * const context = createRunContext(resolveOptions({}, 'mine', 'fetch'));
 * try { console.log(await fetchRow('http://example.test/', context, undefined)); } finally { await context.close(false); }
 * ```
 */
export function fetchRow(input: unknown, context: RunContext, signal: AbortSignal | undefined, admittedHost?: string): Promise<FetchRow> {
  const row = emptyRow(input);
  const target = parseTarget(input);
  if (!(target instanceof URL)) {
    row.error = target;
    return Promise.resolve(row);
  }
  if (signal?.aborted) {
    row.error = { code: 'aborted', message: 'cancelled before the request started' };
    return Promise.resolve(row);
  }
  // Credentials in the URL go as Basic auth (a header the caller set wins), never in the row.
  const { url, authorization } = splitCredentials(target);
  let headers = context.options.headers;
  if (authorization !== undefined && headers.authorization === undefined) headers = { ...headers, authorization };
  // Not an async function: the job's own promise is handed on as is, without another layer.
  return new UrlJob(row, context, signal, admittedHost).run(url, headers);
}

/**
 * Fetches one URL and resolves to its {@link FetchRow}: never rejects for anything the URL or the
 * network does (bad options reject with TypeError/RangeError). Uses a keep-alive agent of its own,
 * closed before it resolves (pass `dispatcher` to reuse yours). When `signal` aborts, the row has
 * error code `aborted`.
 *
 * @example
 * ```ts
 * const row = await fetchOne('https://example.com/', { timeout: 5_000 });
 * if (row.ok) console.log(row.status, row.title);
 * else console.log(row.error.code, row.error.message);
 * ```
 */
export async function fetchOne(url: string | URL, options?: FetchOptions): Promise<FetchRow> {
  const resolved = resolveOptions(options, 'fetchOne()', 'fetch');
  const context = createRunContext(resolved);
  try {
    return await fetchRow(url, context, resolved.signal);
  } finally {
    await context.close(resolved.signal?.aborted ?? false);
  }
}
