/**
 * Flag value parsers for commander: each turns a string into a checked value or throws commander's
 * InvalidArgumentError with a sentence that says what was expected.
 */
import { InvalidArgumentError } from 'commander';

/** A whole number from `min` up ("16"), or "Infinity" when allowed. */
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

/** A duration: "1500" or "1500ms" (milliseconds), "10s", "2m". */
export function durationFlag(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(value);
  if (!match) throw new InvalidArgumentError(`expected a duration like 1500, 1500ms, 10s or 2m, got "${value}".`);
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'ms').toLowerCase();
  return Math.round(amount * (unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1));
}

/** A byte size: "1048576", "512k", "10m", "1g" (binary multiples). */
export function bytesFlag(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(value);
  if (!match) throw new InvalidArgumentError(`expected a size like 1048576, 512k or 10m, got "${value}".`);
  const unit = (match[2] ?? 'b')[0].toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new InvalidArgumentError(`expected at least 1 byte, got "${value}".`);
  return bytes;
}

/** A request header "Name: value", collected into a record (repeatable flag). */
export function headerFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InvalidArgumentError(`expected "Name: value" (for example "Accept-Language: en"), got "${value}".`);
  }
  return { ...previous, [name.toLowerCase()]: value.slice(colon + 1).trim() };
}

/** One of a fixed set of words. */
export function choiceFlag<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}".`);
  };
}
