// Loopback servers for the issue 11 tests: an echo server (method, body, cookies), a forward proxy
// that counts what it relays (absolute-URI requests and CONNECT tunnels), and a TLS server with a
// self-signed certificate made by the openssl CLI at test time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server, scheme = 'http'): Promise<Running> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Echo {
  method: string;
  path: string;
  body: string;
  cookie: string | null;
  contentType: string | null;
}

/**
 * Echoes each request as JSON. Paths: `/status/N` answers N (with `Retry-After` from `?after=`),
 * `/redirect/N?to=PATH` redirects with status N; anything else answers 200.
 */
export function echoHandler(seen: Echo[] = []): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const echo: Echo = {
        method: req.method ?? '',
        path: url.pathname,
        body: Buffer.concat(chunks).toString('utf8'),
        cookie: req.headers.cookie ?? null,
        contentType: req.headers['content-type'] ?? null,
      };
      seen.push(echo);
      const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
      if (redirect) {
        res.writeHead(Number(redirect[1]), { location: url.searchParams.get('to') ?? '/' }).end();
        return;
      }
      const status = /^\/status\/(\d+)$/.exec(url.pathname);
      const headers: Record<string, string | string[]> = { 'content-type': 'application/json', vary: 'a', 'set-cookie': ['s=1', 's2=2; Path=/'] };
      if (url.searchParams.has('after')) headers['retry-after'] = url.searchParams.get('after')!;
      const body = JSON.stringify(echo);
      headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(status ? Number(status[1]) : 200, headers);
      res.end(body);
    });
  };
}

export async function startEcho(seen: Echo[] = []): Promise<Running & { seen: Echo[] }> {
  const running = await listen(createServer(echoHandler(seen)));
  return { ...running, seen };
}

export interface Proxy extends Running {
  /** Absolute-URI requests relayed (http targets). */
  forwarded: string[];
  /** CONNECT tunnels opened (https targets), as host:port. */
  tunnels: string[];
}

/** A forward proxy on loopback: relays absolute-URI requests and CONNECT tunnels, counting both. `refuse` answers 403 to every CONNECT. */
export async function startProxy(options: { refuse?: boolean } = {}): Promise<Proxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    if (options.refuse) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const running = await listen(server);
  return { ...running, forwarded, tunnels };
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid 30 days, from the openssl CLI. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gather-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTls(credentials: { key: string; cert: string }, seen: Echo[] = []): Promise<Running> {
  return listen(createHttpsServer(credentials, echoHandler(seen)) as unknown as Server, 'https');
}

/** A SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) that counts the connections it relays. */
export async function startSocks5(): Promise<Running & { relayed: string[] }> {
  const { createServer: createTcpServer } = await import('node:net');
  const relayed: string[] = [];
  const server = createTcpServer((client) => {
    client.on('error', () => client.destroy());
    client.once('data', (greeting: Buffer) => {
      if (greeting[0] !== 5) return client.destroy();
      client.write(Buffer.from([5, 0])); // no authentication
      client.once('data', (request: Buffer) => {
        const type = request[3];
        let host: string;
        let offset: number;
        if (type === 1) (host = [...request.subarray(4, 8)].join('.')), (offset = 8);
        else if (type === 3) (host = request.subarray(5, 5 + request[4]!).toString('latin1')), (offset = 5 + request[4]!);
        else return client.destroy();
        const port = request.readUInt16BE(offset);
        relayed.push(`${host}:${port}`);
        const upstream = connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
    });
  });
  const running = await listen(server as unknown as Server, 'socks5');
  return { ...running, relayed };
}
