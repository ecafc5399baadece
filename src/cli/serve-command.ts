/** `gather serve`: the fixture server alone, until Ctrl-C. */
import { once } from 'node:events';
import { startFixtureServer, type FixtureServer } from '../fixture/index.js';
import { UsageError } from './errors.js';
import { EXIT, type CliIo } from './io.js';

/**
 * Starts the fixture server, prints its address, and stops it when `io.signal` aborts. A port in
 * use, a port it may not bind, or an address it cannot listen on is a {@link UsageError} (exit 2)
 * that says what to change.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const status = runServe({ port: 0, host: '127.0.0.1' }, { ...io, signal: controller.signal });
 * ```
 */
export async function runServe(options: { port: number; host: string }, io: CliIo): Promise<number> {
  let server: FixtureServer;
  try {
    server = await startFixtureServer({ port: options.port, host: options.host });
  } catch (error) {
    throw listenError(error, options);
  }
  io.stdout.write(`gather fixture server listening on ${server.url}\n`);
  io.stdout.write(`try: curl ${server.url}/html   (Ctrl-C stops it)\n`);
  if (io.signal && !io.signal.aborted) await once(io.signal, 'abort');
  await server.close();
  return EXIT.ok;
}

function listenError(error: unknown, { port, host }: { port: number; host: string }): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new UsageError(`gather: port ${port} is in use; choose another with --port`, { cause: error });
    case 'EACCES':
      return new UsageError(`gather: not allowed to listen on port ${port}; choose one above 1023 with --port`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`gather: cannot listen on '${host}': not an address of this machine; try --host 127.0.0.1`, { cause: error });
    default:
      return error;
  }
}
