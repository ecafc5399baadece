/** `gather serve`: the fixture server alone, until Ctrl-C. */
import { once } from 'node:events';
import { startFixtureServer } from '../fixture/index.js';
import { EXIT, type CliIo } from './io.js';

/**
 * Starts the fixture server, prints its address, and stops it when `io.signal` aborts.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const status = runServe({ port: 0, host: '127.0.0.1' }, { ...io, signal: controller.signal });
 * ```
 */
export async function runServe(options: { port: number; host: string }, io: CliIo): Promise<number> {
  const server = await startFixtureServer({ port: options.port, host: options.host });
  io.stdout.write(`gather fixture server listening on ${server.url}\n`);
  io.stdout.write(`try: curl ${server.url}/html   (Ctrl-C stops it)\n`);
  if (io.signal && !io.signal.aborted) await once(io.signal, 'abort');
  await server.close();
  return EXIT.ok;
}
