/**
 * The `gather fetch` flags of issue 11 that become request options: method and body (`-X`, `-d`,
 * `--json-body`), cookies, `--retry-all`, rate limits, proxies and TLS, `-i`. Registered on the
 * command by {@link addRequestFlags} and turned into {@link FetchOptions} by
 * {@link requestOptionsFromFlags}, as curl users expect: `-d` alone means POST with
 * `application/x-www-form-urlencoded`, `--json-body` POST with `application/json`, unless `-X` or
 * `-H` say otherwise.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { FetchOptions } from '../http/options.js';
import { resolveRequestOptions, type RequestOptions } from '../http/request-options.js';
import { UsageError } from './errors.js';
import { collectFlag } from './parse.js';

/** The parsed flags this module adds: most are the library options of the same name. */
export interface RequestFlags extends Pick<RequestOptions, 'method' | 'cookie' | 'retryAll' | 'rate' | 'ratePerHost' | 'proxy' | 'insecure' | 'includeHeaders'> {
  /** `-d` values, in order (joined with &). */
  data?: string[];
  jsonBody?: string;
  /** The file of `--cacert`. */
  cacert?: string;
}

/** A positive number of requests per second ("100", "0.5"). */
function rateFlag(value: string): number {
  const rate = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(rate > 0)) {
    throw new InvalidArgumentError(`expected requests per second above 0, like 100 or 0.5, got "${value}".`);
  }
  return rate;
}

/** A proxy URL, checked as the library checks it. */
function proxyFlag(value: string): string {
  try {
    resolveRequestOptions({ proxy: value });
  } catch {
    throw new InvalidArgumentError(`expected a proxy URL like http://127.0.0.1:3128 or socks5://127.0.0.1:1080, got "${value}".`);
  }
  return value;
}

function methodFlag(value: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) throw new InvalidArgumentError(`expected a method name like POST, got "${value}".`);
  return value.toUpperCase();
}

/**
 * Adds the flags to `command` (the `fetch` subcommand) and returns it.
 *
 * @example
 * ```ts
 * addRequestFlags(program.command('fetch')).action(async (file, flags) => fetchAll(urls, requestOptionsFromFlags(flags, headers)));
 * ```
 */
export function addRequestFlags(command: Command): Command {
  return command
    .addOption(new Option('-X, --method <method>', 'request method (default GET, or POST with -d/--json-body)').argParser(methodFlag))
    .addOption(new Option('-d, --data <data>', 'request body, or @FILE; form-encoded unless -H sets Content-Type (repeatable: joined with &)').argParser(collectFlag))
    .addOption(new Option('--json-body <json>', 'JSON request body, or @FILE (Content-Type: application/json)'))
    .addOption(new Option('-b, --cookie <cookies>', 'cookies to send, "a=1; b=2"'))
    .option('--retry-all', 'retry non-idempotent methods (POST, PATCH) too')
    .addOption(new Option('--rate <n>', 'requests started per second over the run, evenly spaced').argParser(rateFlag))
    .addOption(new Option('--rate-per-host <n>', 'requests started per second to one host').argParser(rateFlag))
    .addOption(new Option('--proxy <url>', 'proxy: http://host:port (CONNECT for https), https://, socks5:// (default: $HTTPS_PROXY/$HTTP_PROXY, honouring $NO_PROXY)').argParser(proxyFlag))
    .option('--no-proxy', 'connect directly, ignoring $HTTP_PROXY and $HTTPS_PROXY')
    .option('-k, --insecure', 'accept any TLS certificate (self-signed, expired)')
    .addOption(new Option('--cacert <file>', 'trust the CA certificates (PEM) of FILE'))
    .option('-i, --include-headers', 'add the response headers to each row');
}

/** The text of `value`, or of the file it names with a leading @. */
function textOrFile(value: string, flag: string, stripNewlines: boolean): string {
  if (!value.startsWith('@')) return value;
  const path = value.slice(1);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`gather: cannot read ${flag} file '${path}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  // curl -d @FILE drops line breaks (a form body is one line); --json-body keeps the file as is.
  return stripNewlines ? text.replace(/[\r\n]/g, '') : text;
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`gather: cannot read --cacert file '${path}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/**
 * The fetch options the flags ask for. `headers` are the `-H` headers (lower-case names): a
 * Content-Type there wins over the one a body implies.
 *
 * @example
 * ```ts
 * requestOptionsFromFlags({ data: ['a=1', 'b=2'] }, {});
 * // { method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }
 * ```
 */
export function requestOptionsFromFlags(flags: RequestFlags, headers: Record<string, string> | undefined): FetchOptions {
  if (flags.data !== undefined && flags.jsonBody !== undefined) throw new UsageError('gather: use either -d/--data or --json-body, not both');
  let body: string | undefined;
  let contentType: string | undefined;
  if (flags.data !== undefined) {
    body = flags.data.map((d) => textOrFile(d, '--data', true)).join('&');
    contentType = 'application/x-www-form-urlencoded';
  } else if (flags.jsonBody !== undefined) {
    body = textOrFile(flags.jsonBody, '--json-body', false);
    contentType = 'application/json';
  }
  const method = flags.method?.toUpperCase() ?? (body !== undefined ? 'POST' : undefined);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) throw new UsageError(`gather: -X ${method} cannot send a body; drop -X or use POST, PUT, PATCH`);
  const merged = contentType !== undefined && headers?.['content-type'] === undefined ? { ...headers, 'content-type': contentType } : headers;
  const options: FetchOptions = {};
  if (merged !== undefined) options.headers = merged;
  if (method !== undefined) options.method = method;
  if (body !== undefined) options.body = body;
  if (flags.cookie !== undefined) options.cookie = flags.cookie;
  if (flags.retryAll) options.retryAll = true;
  if (flags.rate !== undefined) options.rate = flags.rate;
  if (flags.ratePerHost !== undefined) options.ratePerHost = flags.ratePerHost;
  if (flags.proxy !== undefined) options.proxy = flags.proxy;
  if (flags.insecure) options.insecure = true;
  if (flags.cacert !== undefined) options.ca = readCa(flags.cacert);
  if (flags.includeHeaders) options.includeHeaders = true;
  return options;
}
