/**
 * Argument checks shared by every primitive. Messages name the option, the value and its type, so
 * that a bad call says what to fix: ``Expected `limit` to be an integer from 1 and up or `Infinity`, got `0` (number)``.
 */

export function describe(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'function') shown = value.name ? `[function ${value.name}]` : '[function]';
  else if (typeof value === 'object' && value !== null) shown = Array.isArray(value) ? '[array]' : '[object]';
  else shown = String(value);
  return `\`${shown}\` (${type})`;
}

/** A concurrency-style count: a positive integer, or Infinity when `allowInfinity`. */
export function checkCount(name: string, value: unknown, allowInfinity = true): number {
  const ok =
    typeof value === 'number' &&
    ((Number.isInteger(value) && value >= 1) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    const what = allowInfinity ? 'an integer from 1 and up or `Infinity`' : 'an integer from 1 and up';
    const message = `Expected \`${name}\` to be ${what}, got ${describe(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}

/** A count that may be zero (semaphore values). */
export function checkNonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    const message = `Expected \`${name}\` to be an integer from 0 and up, got ${describe(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}

/** A duration in milliseconds: a finite number >= 0, or Infinity / undefined / null for "no deadline". */
export function checkMs(name: string, value: unknown): number {
  if (value === undefined || value === null) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    const message = `Expected \`${name}\` to be a number of milliseconds from 0 and up (or Infinity), got ${describe(value)}`;
    throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return value;
}

/** True for anything `for...of` can walk: arrays, Sets, Maps, generators (strings excluded: never a list of work). */
export function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** An iterable argument, named in the error: ``Expected `inputs` of wait() to be an iterable, got `5` (number)``. */
export function checkIterable<T>(name: string, where: string, value: unknown): Iterable<T> {
  if (!isIterable(value)) throw new TypeError(`Expected \`${name}\` of ${where} to be an iterable, got ${describe(value)}`);
  return value as Iterable<T>;
}

export function checkSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof AbortSignal)) {
    throw new TypeError(`Expected \`${name}\` to be an AbortSignal, got ${describe(value)}`);
  }
  return value;
}

export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  }
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  return value;
}

/** Options objects: reject keys we do not know, so a typo (`returnException`) is not silently ignored. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Expected the options of ${where} to be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${key}\` for ${where}; known options: ${known.map((k) => `\`${k}\``).join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}
