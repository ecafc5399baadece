/**
 * The run's dispatcher when a proxy or TLS option is in play: undici's `ProxyAgent` for `proxy`
 * (http and https proxies, CONNECT tunnels for https targets, socks5), its `EnvHttpProxyAgent` when
 * `HTTP_PROXY`/`HTTPS_PROXY` are set (honouring `NO_PROXY`), else our plain keep-alive Agent. Plain
 * http targets go to an http proxy as absolute-URI requests, as curl sends them, not tunnelled.
 *
 * Also: which failures are the proxy's, so their rows say `proxy` rather than blaming the target.
 */
import { createRequire } from 'node:module';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { createAgent, connectionsPerOrigin, type AgentOptions } from './agent.js';
import type { ResolvedRequestOptions } from './request-options.js';
import type { FetchRowError } from './types.js';

const require = createRequire(import.meta.url);

/** The proxy the environment asks for, any case as curl reads it; undefined when none. */
function environmentProxy(env: NodeJS.ProcessEnv): string | undefined {
  return env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY || undefined;
}

/**
 * The proxy URL in force for a run (`proxy` given, or the environment's unless `proxy: false`).
 *
 * @example
 * ```ts
 * activeProxy(resolveRequestOptions({ proxy: false }), { HTTP_PROXY: 'http://p:3128' }); // undefined
 * ```
 */
export function activeProxy(request: ResolvedRequestOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (request.proxy === false) return undefined;
  return request.proxy ?? environmentProxy(env);
}

/** The TLS settings of connections to targets. */
function targetTls(request: ResolvedRequestOptions): AgentOptions['tls'] {
  if (!request.insecure && request.ca === undefined) return undefined;
  return { ...(request.insecure ? { rejectUnauthorized: false } : {}), ...(request.ca !== undefined ? { ca: request.ca } : {}) };
}

/**
 * The dispatcher of a run: a ProxyAgent, an EnvHttpProxyAgent, or the plain keep-alive Agent.
 *
 * @example
 * ```ts
 * const dispatcher = createRunDispatcher(agentOptions, resolveRequestOptions({ proxy: 'http://127.0.0.1:3128' }));
 * ```
 */
export function createRunDispatcher(agent: AgentOptions, request: ResolvedRequestOptions, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const tls = targetTls(request);
  const fromEnvironment = request.proxy === undefined && environmentProxy(env) !== undefined;
  if (request.proxy === false || (request.proxy === undefined && !fromEnvironment)) return createAgent({ ...agent, tls });
  const undici = require('undici') as typeof import('undici');
  const timeout = Number.isFinite(agent.connectTimeout) ? agent.connectTimeout : 0;
  const lookup: { lookup?: LookupFunction } = agent.lookup ? { lookup: agent.lookup } : {};
  const shared = {
    connections: connectionsPerOrigin(agent.concurrency, agent.perHost),
    keepAliveTimeout: 10_000,
    // http targets as absolute-URI requests to the proxy; https targets through CONNECT.
    proxyTunnel: false,
    proxyTls: { timeout, ...lookup },
    requestTls: { timeout, ...tls },
    connect: { timeout, ...lookup, ...tls },
  };
  if (typeof request.proxy === 'string') {
    // undici's SOCKS5 agent takes the presence of `proxyTls` to mean "TLS to the proxy": leave it out.
    if (/^socks5?:/i.test(request.proxy)) return new undici.ProxyAgent({ ...shared, proxyTls: undefined, uri: request.proxy });
    return new undici.ProxyAgent({ ...shared, uri: request.proxy });
  }
  return new undici.EnvHttpProxyAgent(shared);
}

/** Connection failures that, with a proxy in between, happen on the way to the proxy. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function causes(error: unknown): { code?: string; message?: string; port?: number; name?: string }[] {
  const list: { code?: string; message?: string; port?: number; name?: string }[] = [];
  let current = error as { cause?: unknown } | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    list.push(current as { code?: string });
    current = current.cause as { cause?: unknown } | undefined;
  }
  return list;
}

/**
 * The row error of a request failure that is the proxy's fault, or undefined when it is not (or no
 * proxy is in use): the proxy refused the connection or could not be reached, answered CONNECT with
 * anything but 200, or its TLS failed.
 *
 * @example
 * ```ts
 * proxyFailure(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), 'http://127.0.0.1:3128');
 * // { code: 'proxy', message: 'proxy http://127.0.0.1:3128 refused the tunnel: it answered 403' }
 * ```
 */
export function proxyFailure(error: unknown, proxy: string | undefined): FetchRowError | undefined {
  if (proxy === undefined) return undefined;
  const where = new URL(proxy);
  const shown = `${where.protocol}//${where.host}`;
  const port = Number(where.port || (where.protocol === 'https:' ? 443 : where.protocol === 'http:' ? 80 : 1080));
  for (const cause of causes(error)) {
    const answered = /Proxy response \((\d+)\)/.exec(cause.message ?? '');
    if (answered) return { code: 'proxy', message: `proxy ${shown} refused the tunnel: it answered ${answered[1]}` };
    if (cause.name === 'SecureProxyConnectionError') return { code: 'proxy', message: `TLS to proxy ${shown} failed: ${cause.message ?? ''}` };
    if (/socks5?/i.test(cause.message ?? '')) return { code: 'proxy', message: `SOCKS proxy ${shown} failed: ${cause.message}` };
    if (cause.code !== undefined && CONNECT_CODES.has(cause.code) && cause.port === port) {
      return { code: 'proxy', message: `proxy ${shown} failed: ${cause.code}${cause.message ? ` (${cause.message})` : ''}` };
    }
  }
  return undefined;
}
