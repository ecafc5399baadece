/**
 * Every header of a response as one record (`includeHeaders`): names lower-case; a header sent more
 * than once is one value joined with ", " (RFC 9110 5.3: a recipient may combine them so), except
 * Set-Cookie, whose values may themselves hold commas and so stay a list (RFC 9110 5.3, RFC 6265 3).
 */

/**
 * The headers of undici's raw list (name, value, name, value...), values read as latin1.
 *
 * @example
 * ```ts
 * collectHeaders(['Vary', 'a', 'VARY', 'b', 'Set-Cookie', 'x=1']); // { vary: 'a, b', 'set-cookie': ['x=1'] }
 * ```
 */
export function collectHeaders(raw: readonly (Buffer | string)[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i]!).toLowerCase();
    const value = latin1(raw[i + 1]!);
    const current = headers[name];
    if (name === 'set-cookie') {
      if (Array.isArray(current)) current.push(value);
      else headers[name] = [value];
    } else {
      headers[name] = current === undefined ? value : `${current as string}, ${value}`;
    }
  }
  return { ...headers };
}

function latin1(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/**
 * The first value of a header as the pipeline holds it (one value, or a list when repeated).
 *
 * @example
 * ```ts
 * firstValue(['text/html', 'text/plain']); // 'text/html'
 * ```
 */
export function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A Content-Length value as a number, or null when absent or not a plain non-negative integer.
 *
 * @example
 * ```ts
 * contentLengthOf('1234'); // 1234
 * contentLengthOf(undefined); // null
 * ```
 */
export function contentLengthOf(value: string | string[] | undefined): number | null {
  const text = firstValue(value)?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
