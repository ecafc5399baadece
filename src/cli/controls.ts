/**
 * Hostile text kept from driving a terminal: escape sequences that clear the screen or set the
 * window title, BEL, C1 controls, bidi overrides. No dependencies, so error messages can use it
 * without loading anything.
 */

// C0 controls, DEL and C1 controls; bidi embeddings, overrides and isolates, which can make a
// line read differently from what it holds.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const WHITESPACE_RUN = /[\t\n\v\f\r ]+/g;

/**
 * Text made safe and single-line for a terminal: whitespace runs become one space, other C0
 * controls show as their visible symbol (U+2400 block: ESC is `␛`), DEL as `␡`, and C1 controls
 * and bidi controls as U+FFFD. Nothing in the result can move the cursor, ring the bell or set the
 * window title.
 *
 * @example
 * ```ts
 * visibleText('evil\x1b[2Jtitle'); // "evil␛[2Jtitle"
 * ```
 */
export function visibleText(s: string): string {
  if (!UNSAFE_TEST.test(s)) return s;
  return s.replace(WHITESPACE_RUN, ' ').replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

/**
 * JSON text with DEL, C1 and bidi controls written as `\uXXXX` escapes (JSON.stringify already
 * escapes C0). Only ever applied to JSON text, where those characters can only sit inside strings,
 * so the result parses to exactly the same value.
 *
 * @example
 * ```ts
 * escapeJsonControls(JSON.stringify('a\u009b2J')); // "\"a\\u009b2J\""
 * ```
 */
export function escapeJsonControls(json: string): string {
  if (!UNSAFE_TEST.test(json)) return json;
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
