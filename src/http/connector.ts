/**
 * How the run's agent opens connections: undici's own connector (DNS through the run's cache, TCP,
 * TLS, the connect deadline), with two fixes around it.
 *
 * - Out of file descriptors (EMFILE, ENFILE) is the machine's limit, not the URL's: the connect
 *   waits for a descriptor to be freed and tries again, within the connect deadline, instead of
 *   failing the URL or spending one of its retries.
 * - An unsolicited `100 Continue`: RFC 9110 15.2 asks a client to accept (and skip) it, but undici
 *   fails the request with "bad response" whenever a 100 arrives. gather never sends
 *   `Expect: 100-continue`, so every 100 it gets is unsolicited: it is removed from the bytes
 *   undici's parser reads (undici pulls them with `socket.read()`).
 */
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';
import { connectorBuilder } from './load.js';

/** What the connector is built from. */
export interface ConnectorOptions {
  /** Connect deadline in ms (DNS, TCP and TLS); Infinity for none. It also bounds waiting for a descriptor. */
  connectTimeout: number;
  lookup?: import('node:net').LookupFunction | undefined;
  /** TLS options of new connections (`insecure`, `ca`). */
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer | (string | Buffer)[] } | undefined;
}

const OUT_OF_DESCRIPTORS = new Set(['EMFILE', 'ENFILE', 'EAI_SYSTEM']);

/**
 * True for an error that means the process (or the system) has no file descriptor free.
 *
 * @example
 * ```ts
 * isOutOfDescriptors(Object.assign(new Error('connect EMFILE'), { code: 'EMFILE' })); // true
 * ```
 */
export function isOutOfDescriptors(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && OUT_OF_DESCRIPTORS.has(code);
}

/** Waits before the next try for a descriptor: 5 ms, doubling to 200 ms. */
function descriptorWait(tries: number): number {
  return Math.min(200, 5 * 2 ** tries);
}

/**
 * Creates the run's connector.
 *
 * @example
 * ```ts
 * const agent = new Agent({ connect: createConnector({ connectTimeout: 10_000, lookup: createDnsCache() }) });
 * ```
 */
export function createConnector(options: ConnectorOptions): buildConnector.connector {
  const finite = Number.isFinite(options.connectTimeout);
  const base = connectorBuilder()({
    // undici: 0 disables the connect timer.
    timeout: finite ? options.connectTimeout : 0,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...options.tls,
  });
  return function connect(target, callback) {
    const started = performance.now();
    let tries = 0;
    const attempt = (): void =>
      base(target, (error, socket) => {
        if (error !== null) {
          const waited = performance.now() - started;
          if (isOutOfDescriptors(error) && (!finite || waited < options.connectTimeout)) {
            setTimeout(attempt, descriptorWait(tries++));
            return;
          }
          return callback(error, null);
        }
        skipUnsolicitedContinue(socket!);
        callback(null, socket!);
      });
    attempt();
  };
}

const INTERIM_100 = /^HTTP\/1\.[01] 100[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/;

/**
 * Removes `100 Continue` interim responses from the start of a response, as undici reads it from
 * `socket`. Only the first bytes read after a request was written are looked at (gather never
 * pipelines, so a response starts there): a body that happens to contain such text is left alone.
 *
 * @example
 * ```ts
 * skipUnsolicitedContinue(socket); // then hand the socket to undici
 * ```
 */
export function skipUnsolicitedContinue(socket: Socket): void {
  const read = socket.read;
  const write = socket.write;
  let responseStart = false;
  socket.write = function writeRequest(this: Socket, ...args: Parameters<Socket['write']>) {
    responseStart = true;
    return write.apply(this, args);
  } as Socket['write'];
  socket.read = function readSkipping100(this: Socket, size?: number) {
    const got: unknown = read.call(this, size);
    if (!responseStart || !Buffer.isBuffer(got)) return got;
    let chunk = got;
    while (chunk.length > 12 && chunk[0] === 0x48 && chunk[9] === 0x31 && chunk[10] === 0x30 && chunk[11] === 0x30) {
      const match = INTERIM_100.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 8192)));
      if (match === null) break;
      chunk = chunk.subarray(match[0].length);
    }
    // Still at the start when all that came was the interim response.
    responseStart = chunk.length === 0;
    return chunk;
  } as Socket['read'];
}
