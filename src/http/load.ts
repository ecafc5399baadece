/**
 * The two dependencies the fetch pipeline loads by hand: undici's Agent and htmlparser2's Parser,
 * each alone rather than through its package index (the indexes load fetch, WebSocket, mocks, DOM
 * building... that we never use: about 65 ms of every CLI run). Loaded on first use, and all at
 * once by {@link preloadFetchModules} when a run starts: a module loaded in the middle of a run
 * needs a file descriptor, and a run that uses them all must not fail for want of one.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Parser } from 'htmlparser2';
import type { Agent, buildConnector } from 'undici';

const require = createRequire(import.meta.url);

/**
 * A module's export, loaded from its own file (`path()`), else from the package index when the
 * package's layout ever changes (`fallback`); `pick` takes the export from either.
 *
 * @example
 * ```ts
 * const Agent = loadAlone(() => 'undici/lib/dispatcher/agent.js', 'undici', (m) => (typeof m === 'function' ? m : m.Agent));
 * ```
 */
export function loadAlone<T>(path: () => string, fallback: string, pick: (module: never) => unknown): T {
  try {
    const alone = pick(require(path()) as never);
    if (typeof alone === 'function') return alone as T;
  } catch {
    // the index below
  }
  return pick(require(fallback) as never) as T;
}

/** `load` run once, on first call; its result kept. */
function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/** An undici module that exports `name`, or is it (undici has no `exports` map: its files can be required). */
function undiciPart<T>(file: string, name: string): () => T {
  return once(() => loadAlone<T>(() => `undici/lib/${file}`, 'undici', (module: unknown) =>
    typeof module === 'function' ? module : (module as Record<string, unknown>)[name],
  ));
}

/**
 * htmlparser2's Parser. The package exports only its index, so the Parser module is found next to
 * it.
 *
 * @example
 * ```ts
 * const parser = new (parserClass())({ ontext(text) { console.log(text); } });
 * ```
 */
export const parserClass: () => typeof Parser = once(() =>
  loadAlone<typeof Parser>(
    () => join(dirname(require.resolve('htmlparser2')), 'Parser.js'),
    'htmlparser2',
    (module: { Parser?: unknown }) => module.Parser,
  ),
);

/**
 * undici's Agent.
 *
 * @example
 * ```ts
 * const agent = new (agentClass())({ connections: 16 });
 * ```
 */
export const agentClass: () => typeof Agent = undiciPart('dispatcher/agent.js', 'Agent');

/**
 * undici's `buildConnector` (its default way of opening TCP and TLS connections).
 *
 * @example
 * ```ts
 * const connect = connectorBuilder()({ timeout: 10_000 });
 * ```
 */
export const connectorBuilder: () => typeof buildConnector = undiciPart('core/connect.js', 'buildConnector');

/**
 * undici's HTTP parser (llhttp as WebAssembly, SIMD build first as undici itself tries) is loaded
 * at the first connection: into the module cache now, so that first connection needs no
 * descriptor of its own for it. About 4 ms.
 */
function preloadParserWasm(): void {
  for (const file of ['undici/lib/llhttp/llhttp_simd-wasm.js', 'undici/lib/llhttp/llhttp-wasm.js']) {
    try {
      require(file);
    } catch {
      // undici's layout changed: it loads what it needs itself, as before
    }
  }
}

let preloaded = false;

/**
 * Loads every module a run may need, before its first request.
 *
 * @example
 * ```ts
 * preloadFetchModules(); // then open thousands of sockets
 * ```
 */
export function preloadFetchModules(): void {
  if (preloaded) return;
  preloaded = true;
  parserClass();
  agentClass();
  connectorBuilder();
  preloadParserWasm();
}
