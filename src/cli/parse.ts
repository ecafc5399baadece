/**
 * Flag value parsers for commander: each turns a string into a checked value or throws commander's
 * InvalidArgumentError with a sentence that says what was expected. Every check happens while the
 * command line is parsed, before any file is opened or any request made.
 */
import { InvalidArgumentError } from 'commander';

/**
 * A whole number from `min` up ("16"), or "unlimited" when allowed.
 *
 * @example
 * ```ts
 * new Option('-c, --concurrency <n>').argParser(integerFlag(1)); // "0" -> usage error
 * ```
 */
export function integerFlag(min: number, allowInfinity = false): (value: string) => number {
  return (value) => {
    if (allowInfinity && /^(inf|infinity|unlimited)$/i.test(value)) return Number.POSITIVE_INFINITY;
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`expected a whole number from ${min} up${allowInfinity ? ' or "unlimited"' : ''}, got "${value}".`);
    }
    return parsed;
  };
}

/**
 * A TCP port: 0 (any free port) to 65535.
 *
 * @example
 * ```ts
 * portFlag('8080'); // 8080
 * portFlag('99999'); // throws: expected a port from 0 to 65535
 * ```
 */
export function portFlag(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(port) || port > 65_535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535 (0 picks a free one), got "${value}".`);
  }
  return port;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * A duration in milliseconds from what a person types: a bare number is seconds, as in curl, wget
 * and httpx (`10` = 10 s, `0.5` = 500 ms); `ms`, `s` and `m` suffixes are accepted (`1500ms`,
 * `2m`). Zero, negative, below one millisecond, or anything else is a usage error. Every duration
 * flag of the CLI goes through here, so they all read the same way.
 *
 * @example
 * ```ts
 * durationFlag('10'); // 10000
 * durationFlag('0.5'); // 500
 * durationFlag('250ms'); // 250
 * durationFlag('2m'); // 120000
 * ```
 */
export function durationFlag(value: string): number {
  const match = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(ms|s|m)?\s*$/i.exec(value);
  const expected = '10 (seconds), 0.5, 1500ms, 10s or 2m';
  if (!match) throw new InvalidArgumentError(`expected a duration like ${expected}, got "${value}".`);
  const amount = Number(match[1]);
  const ms = Math.round(amount * DURATION_UNITS[(match[2] ?? 's').toLowerCase()]);
  if (!(amount > 0)) throw new InvalidArgumentError(`expected a duration above zero, like ${expected}, got "${value}".`);
  if (!(ms >= 1) || !Number.isSafeInteger(ms)) {
    throw new InvalidArgumentError(`expected a duration of at least 1ms, like ${expected}, got "${value}".`);
  }
  return ms;
}

/**
 * A byte size: "1048576", "512k", "10m", "1g" (binary multiples).
 *
 * @example
 * ```ts
 * bytesFlag('10m'); // 10485760
 * ```
 */
export function bytesFlag(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(value);
  if (!match) throw new InvalidArgumentError(`expected a size like 1048576, 512k or 10m, got "${value}".`);
  const unit = (match[2] ?? 'b')[0].toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new InvalidArgumentError(`expected at least 1 byte, got "${value}".`);
  return bytes;
}

// RFC 9110 token characters: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Control characters other than tab are not allowed in a field value (RFC 9110 §5.5); CR and LF
// would even start a new header line (request smuggling).
const HEADER_VALUE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * Headers the client owns: they describe the connection or the message framing, which the HTTP
 * client sets itself (undici refuses them, at request time, for every URL). Lower case.
 */
export const CLIENT_OWNED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

/**
 * A request header "Name: value", collected into a record (a repeatable flag). A name that is not
 * an HTTP token, a value with CR, LF or another control character, or a header the client sets
 * itself ({@link CLIENT_OWNED_HEADERS}) is refused here, at parse time, rather than failing every URL.
 *
 * @example
 * ```ts
 * headerFlag('Accept-Language: en'); // { 'accept-language': 'en' }
 * headerFlag('Expect: 100-continue'); // throws: the client sets 'Expect' itself
 * ```
 */
export function headerFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!HEADER_NAME.test(name)) {
    throw new InvalidArgumentError(`expected "Name: value" (for example "Accept-Language: en"), got ${JSON.stringify(value)}.`);
  }
  const headerValue = value.slice(colon + 1).trim();
  if (HEADER_VALUE_CONTROL.test(headerValue)) {
    throw new InvalidArgumentError(`the value of '${name}' holds a line break or another control character, which a header cannot carry.`);
  }
  if (CLIENT_OWNED_HEADERS.has(name.toLowerCase())) {
    throw new InvalidArgumentError(`'${name}' cannot be set: the HTTP client sets it itself.`);
  }
  return { ...previous, [name.toLowerCase()]: headerValue };
}

/**
 * One of a fixed set of words.
 *
 * @example
 * ```ts
 * choiceFlag(['auto', 'always', 'never'])('never'); // 'never'
 * ```
 */
export function choiceFlag<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}".`);
  };
}

/**
 * A repeatable string flag, collected in order.
 *
 * @example
 * ```ts
 * new Option('-l, --list <file>').argParser(collectFlag); // -l a.txt -l b.txt -> ['a.txt', 'b.txt']
 * ```
 */
export function collectFlag(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
