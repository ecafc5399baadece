/**
 * The `gather` command line: flags parsed by commander, errors turned into one clear line and an
 * exit status, never a stack trace. `runCli` takes its arguments and streams, so tests run it
 * in-process. Each command's module is imported when that command runs (all of it before the run
 * starts), so `gather --help` or `gather completion` loads no HTTP client.
 */
import { Command, CommanderError, Option } from 'commander';
import { COLOR_MODES, type ColorMode } from './color.js';
import { visibleText } from './controls.js';
import { DEFAULT_CONCURRENCY } from '../core/map-options.js';
import { UsageError } from './errors.js';
import { OUTPUT_FORMATS, type OutputFormat } from './formats/types.js';
import { FETCH_EXAMPLES } from './help.js';
import { EXIT, type CliIo } from './io.js';
import { bytesFlag, choiceFlag, collectFlag, durationFlag, headerFlag, integerFlag, portFlag } from './parse.js';
import { VERSION } from '../http/version.js';
import { addRequestFlags, requestOptionsFromFlags, type RequestFlags } from './request-flags.js';
import { addOutputFlags, outputChoicesFromFlags, type OutputFlags } from './output-flags.js';

interface FetchFlags {
  list?: string[];
  concurrency: number;
  perHost?: number;
  timeout?: number;
  retries?: number;
  maxRedirects?: number;
  maxBytes?: number;
  header?: Record<string, string>;
  json?: boolean;
  downgrade: boolean;
  format?: OutputFormat;
  output?: string;
  color: ColorMode;
  csvRaw?: boolean;
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
      // commander already printed its message (help, version, or the one-line error) through io
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      // Messages quote what the user typed; a pasted escape sequence is shown, not obeyed.
      io.stderr.write(`${visibleText(error.message)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

function buildProgram(io: CliIo, setStatus: (status: number) => void): Command {
  const program = new Command('gather')
    .description('Fetch many URLs concurrently: one result row per URL, in input order.')
    .version(VERSION, '-v, --version')
    .addHelpText('after', FETCH_EXAMPLES);

  // A new fetch flag: an .addOption() below (durations through durationFlag, so all read alike), a
  // field in FetchFlags, and its library option in the action's `fetch` object. Request and output
  // flags have modules of their own (request-flags.ts, output-flags.ts).
  const fetchCommand = program
    .command('fetch')
    .description('fetch the URLs given as arguments, in files (one a line; blank lines and # comments skipped), or on stdin')
    .argument('[inputs...]', "URLs (http:// or https://), files of URLs, or '-' for stdin (the default when none is given)")
    .addOption(new Option('-l, --list <file>', 'a file of URLs, read after the arguments (repeatable)').argParser(collectFlag))
    .addOption(new Option('-c, --concurrency <n>', 'URLs fetched at once').argParser(integerFlag(1)).default(DEFAULT_CONCURRENCY))
    .addOption(new Option('--per-host <n>', 'requests at once to one host (default: unlimited)').argParser(integerFlag(1, true)))
    .addOption(new Option('-t, --timeout <duration>', 'deadline per URL in seconds, or with a unit: 10, 0.5, 1500ms, 2m (default 60)').argParser(durationFlag))
    .addOption(new Option('-r, --retries <n>', 'retries on transient failures (reset, 429, 502-504) (default 2)').argParser(integerFlag(0)))
    .addOption(new Option('--max-redirects <n>', 'redirects followed per URL (default 10)').argParser(integerFlag(0)))
    .addOption(new Option('--max-bytes <size>', 'body bytes read per URL after decompression, e.g. 10m (default 10m)').argParser(bytesFlag))
    .addOption(new Option('-H, --header <header>', 'request header "Name: value" (repeatable)').argParser(headerFlag))
    .option('--json', 'parse JSON bodies into a json field (API mode)')
    .option('--no-downgrade', 'refuse a redirect from https to http (error code downgrade)')
    .addOption(new Option('-f, --format <format>', 'table | jsonl | csv | json (default: table on a terminal, else jsonl)').argParser(choiceFlag(OUTPUT_FORMATS)))
    .option('-o, --output <file>', 'write rows to FILE instead of stdout (never one of the inputs)')
    .addOption(new Option('--color <when>', 'auto | always | never (NO_COLOR and FORCE_COLOR are honoured)').argParser(choiceFlag(COLOR_MODES)).default('auto'))
    .option('--csv-raw', "write CSV cells starting with = + - @ as they are (default: prefixed with ')")
    .option('--fail-fast', 'stop at the first failed URL (default: collect every error)')
    .option('-q, --quiet', 'no progress bar, no summary')
    .option('--unordered', 'write each row as it finishes, with an index field (its input position)')
    .addOption(new Option('--window <n>', 'rows held behind a slow earlier URL, in order (default 65536)').argParser(integerFlag(1, true)))
    .addHelpText('after', FETCH_EXAMPLES);
  addOutputFlags(addRequestFlags(fetchCommand))
    .action(async (inputs: string[], flags: FetchFlags & RequestFlags & OutputFlags) => {
      const { runFetchCommand } = await import('./fetch-command.js');
      setStatus(
        await runFetchCommand(
          inputs,
          flags.list ?? [],
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
              // Only when asked: the option is the http layer's, and absent means its default.
              ...(flags.downgrade === false ? { refuseDowngrade: true } : {}),
              ...requestOptionsFromFlags(flags, flags.header),
              ordered: flags.unordered !== true,
              window: flags.window,
            },
            format: flags.format,
            output: flags.output,
            color: flags.color,
            csvRaw: flags.csvRaw === true,
            failFast: flags.failFast === true,
            quiet: flags.quiet === true,
            ...outputChoicesFromFlags(flags),
          },
          io,
        ),
      );
    });

  program
    .command('demo')
    .description("start the embedded fixture server and run the seed's scraper story against it")
    .action(async () => setStatus(await (await import('./demo-command.js')).runDemo(io)));

  program
    .command('serve')
    .description('run the fixture server alone (a small loopback internet: pages, faults, delays)')
    .addOption(new Option('-p, --port <port>', 'port, 0 to 65535 (default: a free one)').argParser(portFlag).default(0))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (flags: { port: number; host: string }) => setStatus(await (await import('./serve-command.js')).runServe(flags, io)));

  program
    .command('completion')
    .description('print a shell completion script: eval "$(gather completion bash)"')
    .argument('<shell>', 'bash or zsh', choiceFlag(['bash', 'zsh'] as const))
    .action(async (shell: 'bash' | 'zsh') => {
      io.stdout.write((await import('./completion.js')).completionScript(shell, program));
    });

  // Every command reports through io, in one line, and comes back here instead of exiting.
  for (const command of [program, ...program.commands]) {
    const name = command === program ? 'gather' : `gather ${command.name()}`;
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(oneLine(text, name)),
    });
  }
  return program;
}

/**
 * commander's error (`error: unknown option '--x'\n(Did you mean --y?)`) as one line that names
 * the command and where to read more.
 */
function oneLine(text: string, command: string): string {
  const message = text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return `${command}: ${visibleText(message)} (see '${command} --help')\n`;
}
