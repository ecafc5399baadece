/**
 * The `gather` command line: flags parsed by commander, errors turned into one clear line and an
 * exit status, never a stack trace. `runCli` takes its arguments and streams, so tests run it
 * in-process.
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_CONCURRENCY } from '../core/map-options.js';
import { VERSION } from '../http/options.js';
import { UsageError } from './errors.js';
import { runFetch } from './fetch-command.js';
import { OUTPUT_FORMATS } from './formats.js';
import { EXIT, type CliIo } from './io.js';
import { bytesFlag, choiceFlag, durationFlag, headerFlag, integerFlag } from './parse.js';
import { openUrlSource } from './url-reader.js';

interface FetchFlags {
  concurrency: number;
  perHost?: number;
  timeout?: number;
  retries?: number;
  maxRedirects?: number;
  maxBytes?: number;
  header?: Record<string, string>;
  json?: boolean;
  format?: (typeof OUTPUT_FORMATS)[number];
  output?: string;
  failFast?: boolean;
  quiet?: boolean;
  unordered?: boolean;
  window?: number;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit status.
 *
 * @example
 * ```ts
 * const status = await runCli(['fetch', 'urls.txt', '--format', 'csv'], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let status: number = EXIT.ok;
  const program = buildProgram(io, (s) => (status = s));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (help, version, or "error: ...") through io.stderr
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nRun 'gather --help' for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function buildProgram(io: CliIo, setStatus: (status: number) => void): Command {
  const program = new Command('gather')
    .description('Fetch many URLs concurrently: one result row per URL, in input order.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError("Run 'gather --help' for usage.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('fetch')
    .description('fetch every URL of FILE (one a line; blank lines and # comments skipped), or of stdin')
    .argument('[file]', "file of URLs, or '-' for stdin (the default)")
    .addOption(new Option('-c, --concurrency <n>', 'URLs fetched at once').argParser(integerFlag(1)).default(DEFAULT_CONCURRENCY))
    .addOption(new Option('--per-host <n>', 'requests at once to one host (default: unlimited)').argParser(integerFlag(1, true)))
    .addOption(new Option('-t, --timeout <duration>', 'deadline per URL, e.g. 10s (default 60s)').argParser(durationFlag))
    .addOption(new Option('-r, --retries <n>', 'retries on transient failures (reset, 429, 502-504) (default 2)').argParser(integerFlag(0)))
    .addOption(new Option('--max-redirects <n>', 'redirects followed per URL (default 10)').argParser(integerFlag(0)))
    .addOption(new Option('--max-bytes <size>', 'body bytes read per URL after decompression, e.g. 10m (default 10m)').argParser(bytesFlag))
    .addOption(new Option('-H, --header <header>', 'request header "Name: value" (repeatable)').argParser(headerFlag))
    .option('--json', 'parse JSON bodies into a json field (API mode)')
    .addOption(
      new Option('-f, --format <format>', 'table | jsonl | csv | json (default: table on a terminal, else jsonl)').argParser(
        choiceFlag(OUTPUT_FORMATS),
      ),
    )
    .option('-o, --output <file>', 'write rows to FILE instead of stdout')
    .option('--fail-fast', 'stop at the first failed URL (default: collect every error)')
    .option('-q, --quiet', 'no progress bar, no summary')
    .option('--unordered', 'write each row as it finishes, with an index field (its input position)')
    .addOption(new Option('--window <n>', 'rows held behind a slow earlier URL, in order (default 65536)').argParser(integerFlag(1, true)))
    .action(async (file: string | undefined, flags: FetchFlags) => {
      const urls = await openUrlSource(file, io.stdin);
      setStatus(
        await runFetch(
          urls,
          {
            fetch: {
              concurrency: flags.concurrency,
              perHost: flags.perHost,
              timeout: flags.timeout,
              retries: flags.retries,
              maxRedirects: flags.maxRedirects,
              maxBytes: flags.maxBytes,
              headers: flags.header,
              json: flags.json === true,
              ordered: flags.unordered !== true,
              window: flags.window,
            },
            format: flags.format,
            output: flags.output,
            failFast: flags.failFast === true,
            quiet: flags.quiet === true,
          },
          io,
        ),
      );
    });

  program
    .command('demo')
    .description("start the embedded fixture server and run the seed's scraper story against it")
    // Loaded when used: the fixture server is no part of `gather fetch`'s start-up.
    .action(async () => setStatus(await (await import('./demo-command.js')).runDemo(io)));

  program
    .command('serve')
    .description('run the fixture server alone (a small loopback internet: pages, faults, delays)')
    .addOption(new Option('-p, --port <port>', 'port (default: a free one)').argParser(integerFlag(0)).default(0))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: { port: number; host: string }) => setStatus(await (await import('./serve-command.js')).runServe(flags, io)));

  // Subcommands inherit the overrides so their errors come back here too.
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    command.showHelpAfterError(`Run 'gather ${command.name()} --help' for usage.`);
  }
  return program;
}
