/**
 * The version `gather --version` prints, read from the package's own package.json, so a release
 * only ever changes one place. The file sits two folders up from this module both in `src/cli`
 * (tsx, tests) and in `dist/cli` (the published build).
 */
import { readFileSync } from 'node:fs';

/**
 * The `version` field of gather's package.json.
 *
 * @example
 * ```ts
 * program.version(packageVersion()); // "0.1.0"
 * ```
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error("gather's package.json has no version");
  return manifest.version;
}
