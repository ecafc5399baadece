/**
 * The package's version, from package.json (one place to change it), and the User-Agent it makes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The version sent in the default User-Agent: package.json's (the same path from src/http and
 * dist/http).
 *
 * @example
 * ```ts
 * VERSION; // '0.1.0'
 * ```
 */
export const VERSION: string = (require('../../package.json') as { version: string }).version;


/**
 * The default `user-agent`: says who is fetching, as polite crawlers do. Override it with
 * `headers: { 'user-agent': ... }`.
 *
 * @example
 * ```ts
 * USER_AGENT; // 'gather/0.1.0 (concurrent fetcher; Node.js 20.18.1)'
 * ```
 */
export const USER_AGENT = `gather/${VERSION} (concurrent fetcher; Node.js ${process.versions.node})`;
