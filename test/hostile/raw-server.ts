// Raw TCP servers on 127.0.0.1 that answer with exactly the bytes a case scripts, for protocol
// misbehaviour that node:http would never send.
import { createServer, type Server, type Socket } from 'node:net';

/** What a case does with one connection once the request head has arrived. */
export type RawHandler = (socket: Socket, request: string) => void;

/** A started raw server: its base URL, the connections it saw, and close(). */
export interface RawServer {
  url: string;
  port: number;
  connections: number;
  close(): Promise<void>;
}

/**
 * Starts a server whose every connection waits for a request head and hands the socket to
 * `handler`. Sockets are destroyed on close; socket errors are ignored (the client may cut).
 */
export async function startRawServer(handler: RawHandler, options: { readRequest?: boolean } = {}): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (options.readRequest === false) {
      handler(socket, '');
      return;
    }
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      handler(socket, head.slice(0, end));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A response as one string: status line, headers, blank line, body (latin1). */
export function response(statusLine: string, headers: string[], body = ''): string {
  return `${statusLine}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
}
