/**
 * The one undici dispatcher of a run: a keep-alive `Agent` (one connection pool per origin) whose
 * pools are sized from the run's limits, with the run's DNS cache and connect deadline. Reusing
 * connections is most of the speed of a crawl: a TCP (and TLS) handshake per URL would cost more
 * than the request.
 */
import type { LookupFunction } from 'node:net';
import type { Agent } from 'undici';
import { createConnector } from './connector.js';
import { agentClass } from './load.js';

/** What the agent is sized and configured from. */
export interface AgentOptions {
  /** The run's global limit: no origin ever needs more connections than this. */
  concurrency: number;
  /** The per-host limit, when smaller. */
  perHost: number;
  /** Connect deadline in ms (DNS, TCP and TLS); Infinity for none. */
  connectTimeout: number;
  /** The lookup new connections use (the run's DNS cache). */
  lookup?: LookupFunction | undefined;
  /** TLS options of new connections (`insecure`, `ca`): see proxy.ts. */
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer | (string | Buffer)[] } | undefined;
}

/** Idle keep-alive sockets are closed after this long (a run closes them all when it ends anyway). */
const KEEP_ALIVE_MS = 10_000;

/**
 * How many connections one origin's pool may open: enough for every request the limits allow in
 * flight to that origin at once, so none waits inside undici where our deadlines cannot see it.
 *
 * @example
 * ```ts
 * connectionsPerOrigin(16, 4); // 4
 * connectionsPerOrigin(16, Infinity); // 16
 * connectionsPerOrigin(Infinity, Infinity); // null: unlimited
 * ```
 */
export function connectionsPerOrigin(concurrency: number, perHost: number): number | null {
  const most = Math.min(concurrency, perHost);
  return Number.isFinite(most) ? most : null; // null: undici's "unlimited"
}

/**
 * Creates the run's keep-alive agent.
 *
 * @example
 * ```ts
 * const agent = createAgent({ concurrency: 16, perHost: 4, connectTimeout: 10_000, lookup: createDnsCache() });
 * try { await request('http://example.test/', { dispatcher: agent }); } finally { await agent.close(); }
 * ```
 */
export function createAgent(options: AgentOptions): Agent {
  const AgentOfUndici = agentClass();
  return new AgentOfUndici({
    connections: connectionsPerOrigin(options.concurrency, options.perHost),
    keepAliveTimeout: KEEP_ALIVE_MS,
    connect: createConnector({ connectTimeout: options.connectTimeout, lookup: options.lookup, tls: options.tls }),
  });
}
