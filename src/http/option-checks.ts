/**
 * The checks behind resolveOptions: each turns one bad option into a TypeError or RangeError naming
 * the option, the value and its type, and fills in its default. Counts and signals use the core's
 * own checks (src/core/validate.ts); these are the http layer's own kinds of value.
 */
import { checkNonNegativeInteger, describe } from '../core/validate.js';
import type { TimeoutOptions } from './options.js';
import { USER_AGENT } from './version.js';

/** The deadlines' defaults, in ms. */
export interface TimeoutDefaults {
  connectTimeout: number;
  headersTimeout: number;
  totalTimeout: number;
}

const ACCEPT = {
  html: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
  json: 'application/json;q=1,*/*;q=0.5',
  any: '*/*',
};


/** Throws for a bad option: RangeError when a number was wanted and a number out of range came. */
export function fail(name: string, what: string, value: unknown, numeric = false): never {
  const message = `Expected \`${name}\` to be ${what}, got ${describe(value)}`;
  throw numeric && typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

/** A byte count: an integer from 0 up, or Infinity. */
export function byteCount(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === Number.POSITIVE_INFINITY) return value ?? fallback;
  return checkNonNegativeInteger(name, value);
}

export function milliseconds(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    fail(name, `a number of milliseconds from ${min} and up (or \`Infinity\`)`, value, true);
  }
  return value;
}

export function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, 'a boolean', value);
  return value;
}

export function timeouts(value: unknown, DEFAULTS: TimeoutDefaults): { connect: number; headers: number; total: number } {
  if (value === undefined || typeof value === 'number') {
    const total = milliseconds('timeout', value, DEFAULTS.totalTimeout, 1);
    return { connect: Math.min(DEFAULTS.connectTimeout, total), headers: Math.min(DEFAULTS.headersTimeout, total), total };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('timeout', 'a number of milliseconds or an object `{ connect, headers, total }`', value);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'connect' && key !== 'headers' && key !== 'total') {
      throw new TypeError(`Unknown option \`timeout.${key}\`; known: \`connect\`, \`headers\`, \`total\``);
    }
  }
  const given = value as TimeoutOptions;
  const total = milliseconds('timeout.total', given.total, DEFAULTS.totalTimeout, 1);
  return {
    connect: milliseconds('timeout.connect', given.connect, Math.min(DEFAULTS.connectTimeout, total), 1),
    headers: milliseconds('timeout.headers', given.headers, Math.min(DEFAULTS.headersTimeout, total), 1),
    total,
  };
}

// RFC 9110 token characters for names; values must not smuggle a line break.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE_BAD = /[\r\n\0]/;

export function requestHeaders(value: unknown, accept: keyof typeof ACCEPT): Record<string, string> {
  const merged: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: ACCEPT[accept],
    'accept-encoding': 'gzip, deflate, br',
  };
  if (value === undefined) return merged;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('headers', 'an object of header names to string values', value);
  }
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new TypeError(`Expected \`headers\` names to be HTTP tokens, got ${describe(name)}`);
    }
    if (typeof headerValue !== 'string' || HEADER_VALUE_BAD.test(headerValue)) {
      fail(`headers.${name}`, 'a string without CR, LF or NUL', headerValue);
    }
    merged[name.toLowerCase()] = headerValue;
  }
  return merged;
}

