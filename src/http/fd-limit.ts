/**
 * How many URLs may be in flight at once without running out of file descriptors: every request
 * in flight holds a socket, and a process that has none left can neither connect nor load a module.
 * The soft limit (`ulimit -n`) is read from /proc/self/limits (Linux); elsewhere it is unknown and
 * nothing is capped. A reserve is left for everything else the process opens (stdio, the output
 * file, node's own handles, idle keep-alive sockets).
 */
import { readFileSync } from 'node:fs';

/** Descriptors kept free: an eighth of the limit, and at least this many. */
export const DESCRIPTOR_RESERVE = 64;

let cached: number | undefined;

/**
 * The process's soft limit on open files, or Infinity when it cannot be read (not Linux,
 * "unlimited"). Read once.
 *
 * @example
 * ```ts
 * softDescriptorLimit(); // 1024 under `ulimit -n 1024`
 * ```
 */
export function softDescriptorLimit(): number {
  if (cached !== undefined) return cached;
  cached = Number.POSITIVE_INFINITY;
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    const soft = line ? Number(line[1]) : Number.NaN;
    if (Number.isInteger(soft) && soft > 0) cached = soft;
  } catch {
    // no /proc: unknown, nothing capped
  }
  return cached;
}

/**
 * The most URLs in flight that `limit` descriptors allow: the limit less max(64, limit / 8), and
 * at least 1.
 *
 * @example
 * ```ts
 * descriptorBudget(1024); // 896
 * descriptorBudget(Infinity); // Infinity
 * ```
 */
export function descriptorBudget(limit: number = softDescriptorLimit()): number {
  if (!Number.isFinite(limit)) return limit;
  return Math.max(1, limit - Math.max(DESCRIPTOR_RESERVE, Math.floor(limit / 8)));
}
