// Shared by the http tests: a lookup that never touches real DNS, a refused port, and waiting for
// the process's handles to settle.
import { createServer } from 'node:net';
import type { LookupFunction } from 'node:net';

/**
 * Resolves `*.test.invalid` to 127.0.0.1 and answers ENOTFOUND for everything else, recording each
 * query: no test ever asks a real resolver.
 */
export function testLookup(calls: string[] = []): LookupFunction & { calls: string[] } {
  const lookup = ((hostname, options, callback) => {
    calls.push(hostname);
    setImmediate(() => {
      if (hostname.endsWith('.test.invalid')) {
        if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      } else {
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
        callback(error, options.all ? [] : '', 0);
      }
    });
  }) as LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}

/** A loopback port nobody listens on: bound, noted, closed. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The active handle kinds, sorted, for before/after comparisons. */
export function resources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap').sort();
}

/** Waits (up to `ms`) until the active resources are `expected` again; returns what they are then. */
export async function settleTo(expected: string[], ms = 1500): Promise<string[]> {
  const deadline = Date.now() + ms;
  let now = resources();
  while (JSON.stringify(now) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = resources();
  }
  return now;
}

let counter = 0;
/** A key no other test uses, for the fixture's per-key counters (/retry, /reset-once). */
export function uniqueKey(): string {
  return `k${process.pid}-${Date.now()}-${counter++}`;
}
