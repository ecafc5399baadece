/**
 * `gather/http`: fetch and scrape many URLs concurrently. One row per URL, in input order, never a
 * thrown batch; bounded concurrency and per-host limits; timeouts, retries, redirects; titles from a
 * streaming HTML parser; a JSON mode for APIs.
 *
 * @example
 * ```ts
 * import { scrape } from 'gather/http';
 * for (const page of await scrape(urls, { concurrency: 5, timeout: 10_000 })) {
 *   console.log(page.status, page.title ?? page.error?.message);
 * }
 * ```
 */
export { fetchAll, scrape, type FetchRun, type UrlSource, type RowOrderOptions } from './fetch-all.js';
export type { Gate } from './gate.js';
export { fetchOne } from './fetch-one.js';
export { DEFAULTS, USER_AGENT, type FetchOptions, type ScrapeOptions, type TimeoutOptions } from './options.js';
export { createDnsCache, type DnsCache } from './dns-cache.js';
export { createTitleExtractor, type TitleExtractor } from './title.js';
export { TITLE_SCAN_BYTES } from './readers.js';
export type { FetchRow, FetchRowError, FetchErrorCode, TlsInfo } from './types.js';
export type { RequestOptions } from './request-options.js';
export { RateGate, type RateGateOptions } from './rate-gate.js';
