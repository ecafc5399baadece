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

let ParserClass: typeof Parser | undefined;
let AgentClass: typeof Agent | undefined;
let BuildConnector: typeof buildConnector | undefined;

/**
 * htmlparser2's Parser. The package exports only its index, so the Parser module is found next to
 * it.
 *
 * @example
 * ```ts
 * const parser = new (parserClass())({ ontext(text) { console.log(text); } });
 * ```
 */
export function parserClass(): typeof Parser {
  ParserClass ??= loadAlone<typeof Parser>(
    () => join(dirname(require.resolve('htmlparser2')), 'Parser.js'),
    'htmlparser2',
    (module: { Parser?: unknown }) => module.Parser,
  );
  return ParserClass;
}

/**
 * undici's Agent. undici has no `exports` map, so its modules can be required directly.
 *
 * @example
 * ```ts
 * const agent = new (agentClass())({ connections: 16 });
 * ```
 */
export function agentClass(): typeof Agent {
  AgentClass ??= loadAlone<typeof Agent>(
    () => 'undici/lib/dispatcher/agent.js',
    'undici',
    (module: unknown) => (typeof module === 'function' ? module : (module as { Agent?: unknown }).Agent),
  );
  return AgentClass;
}

/**
 * undici's `buildConnector` (its default way of opening TCP and TLS connections).
 *
 * @example
 * ```ts
 * const connect = connectorBuilder()({ timeout: 10_000 });
 * ```
 */
export function connectorBuilder(): typeof buildConnector {
  BuildConnector ??= loadAlone<typeof buildConnector>(
    () => 'undici/lib/core/connect.js',
    'undici',
    (module: unknown) => (typeof module === 'function' ? module : (module as { buildConnector?: unknown }).buildConnector),
  );
  return BuildConnector;
}

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
