/**
 * A work-around for htmlparser2 (10.x): its Parser keeps the open elements (and a foreign-content
 * flag per svg/math/integration element) in arrays it grows with `unshift`, O(depth) per tag, so a
 * page of 300,000 unclosed tags costs O(n^2): 20 s of a blocked event loop for 1.4 MB. No title
 * needs that depth: past MAX_OPEN_ELEMENTS the outermost half is forgotten (their end tags then
 * match nothing), which keeps every tag O(1) amortised. Both arrays are internal fields of the
 * Parser; should they ever go, nothing is trimmed (and test/http/title.test.ts's nesting test
 * says so).
 */
import type { Parser } from 'htmlparser2';

/** Open elements the parser tracks at most. */
export const MAX_OPEN_ELEMENTS = 512;

/** Elements whose content is foreign: their own <title> (SVG's tooltip) is not the document's. */
export const FOREIGN: ReadonlySet<string> = new Set(['svg', 'math']);

interface ParserInternals {
  stack?: string[];
  foreignContext?: boolean[];
}

/**
 * Call after each open tag: trims the parser's open elements when they exceed MAX_OPEN_ELEMENTS,
 * and returns how many svg/math elements were forgotten (0 almost always).
 *
 * @example
 * ```ts
 * onopentagname: () => { foreignDepth -= boundOpenElements(parser); }
 * ```
 */
export function boundOpenElements(parser: Parser): number {
  const internals = parser as unknown as ParserInternals;
  const stack = internals.stack;
  if (stack === undefined || stack.length <= MAX_OPEN_ELEMENTS) return 0;
  const keep = MAX_OPEN_ELEMENTS >> 1;
  let foreign = 0;
  for (let i = keep; i < stack.length; i++) if (FOREIGN.has(stack[i]!)) foreign++;
  stack.length = keep;
  const context = internals.foreignContext;
  if (context !== undefined && context.length > keep) context.length = keep;
  return foreign;
}
