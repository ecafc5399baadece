/**
 * The TLS version and certificate expiry of each https origin a run connects to, for `row.tls`.
 * undici does not hand a request's socket to its handler, but it announces every new connection on
 * the `undici:client:connected` diagnostics channel, tunnels through a proxy included; the run
 * listens there while it lives and records what each origin's connection negotiated.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from './types.js';

interface ConnectedMessage {
  connectParams?: { protocol?: string; host?: string };
  socket?: unknown;
}

const CHANNEL = 'undici:client:connected';

/**
 * What a TLS socket negotiated, or undefined for a plain socket.
 *
 * @example
 * ```ts
 * tlsInfoOf(tlsSocket); // { protocol: 'TLSv1.3', notAfter: '2027-01-01T00:00:00.000Z' }
 * ```
 */
export function tlsInfoOf(socket: unknown): TlsInfo | undefined {
  const tls = socket as Partial<TLSSocket> | undefined;
  if (typeof tls?.getProtocol !== 'function' || typeof tls.getPeerCertificate !== 'function') return undefined;
  const protocol = tls.getProtocol();
  if (!protocol) return undefined;
  const validTo = tls.getPeerCertificate().valid_to;
  const expiry = validTo ? new Date(validTo) : undefined;
  return { protocol, notAfter: expiry && !Number.isNaN(expiry.getTime()) ? expiry.toISOString() : '' };
}

/**
 * Records the TLS details of every https connection made while it is open; `close()` stops it.
 *
 * @example
 * ```ts
 * const recorder = new TlsRecorder();
 * // ... requests ...
 * recorder.get(new URL('https://a.test/x')); // { protocol: 'TLSv1.3', notAfter: '...' }
 * recorder.close();
 * ```
 */
export class TlsRecorder {
  readonly #byOrigin = new Map<string, TlsInfo>();
  #open = true;

  constructor() {
    subscribe(CHANNEL, this.#onConnected);
  }

  /** The TLS details of `url`'s origin, when an https connection to it was made. */
  get(url: URL): TlsInfo | undefined {
    return url.protocol === 'https:' ? this.#byOrigin.get(url.host) : undefined;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    unsubscribe(CHANNEL, this.#onConnected);
    this.#byOrigin.clear();
  }

  readonly #onConnected = (message: unknown): void => {
    const { connectParams, socket } = message as ConnectedMessage;
    if (connectParams?.protocol !== 'https:' || connectParams.host === undefined) return;
    const info = tlsInfoOf(socket);
    if (info !== undefined) this.#byOrigin.set(connectParams.host, info);
  };
}
