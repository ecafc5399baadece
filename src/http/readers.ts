/**
 * The body readers of a final response: the `<title>` of an HTML page and the whole body in JSON
 * mode. A reader is fed decoded chunks and says when it has seen enough; at the end it writes
 * what it found onto the row. Testable with plain buffers, no server.
 */
import { createDecoder, isHtmlType, parseContentType } from './charset.js';
import { releaseTitleExtractor, takeTitleExtractor, type TitleExtractor } from './title.js';
import type { FetchRow } from './types.js';

/**
 * How many decoded bytes of a page are examined for its `<title>`. A title later than this is not
 * looked for (the row's title is null): the parser's work per URL stays bounded whatever the page.
 * The body is still read on (without parsing) to its end or to `maxBytes`, so a body over
 * `maxBytes` (a decompression bomb) is `too_large` whatever its markup.
 */
export const TITLE_SCAN_BYTES = 1024 * 1024;

/**
 * Title parsing done in one event-loop turn (all URLs together) before the bodies being read wait
 * for the next turn: undici hands over everything a socket has buffered in one go, and a deeply
 * nested page costs about 7 ms per 64 KB, so without a yield one turn could parse megabytes.
 */
export const PARSE_BUDGET_MS = 4;

let spentThisTurn = 0;
let turnScheduled = false;

function newTurn(): void {
  spentThisTurn = 0;
  turnScheduled = false;
}

/**
 * True when this turn's title parsing is over {@link PARSE_BUDGET_MS}.
 *
 * @example
 * ```ts
 * if (parseTurnSpent()) pauseUntilNextTurn();
 * ```
 */
export function parseTurnSpent(): boolean {
  return spentThisTurn > PARSE_BUDGET_MS;
}

/** Statuses that never carry a body (RFC 9110). */
const BODYLESS = new Set([204, 205, 304]);

/**
 * A body that was asked for as JSON and is not JSON.
 *
 * @example
 * ```ts
 * new BadJsonError('response body is not valid JSON: Unexpected token').name; // 'BadJsonError'
 * ```
 */
export class BadJsonError extends Error {
  override readonly name = 'BadJsonError';
}

/**
 * Reads what the row wants from one response body: its title (HTML), its JSON (JSON mode), or
 * both (an HTML page in JSON mode keeps its title too).
 *
 * @example
 * ```ts
 * const reader = BodyReader.plan({ status: 200, contentType: 'text/html' }, false);
 * reader?.write(Buffer.from('<title>Hi</title>'));
 * reader?.finish(row, true, false); // row.title === 'Hi'
 * ```
 */
export class BodyReader {
  #extractor: TitleExtractor | undefined;
  #jsonChunks: Buffer[] | undefined;
  #jsonBytes = 0;
  /** Bytes given to the title extractor so far (at most TITLE_SCAN_BYTES). */
  #scanned = 0;
  readonly #jsonCharset: string | undefined;

  private constructor(html: boolean, json: boolean, charset: string | undefined) {
    if (html) this.#extractor = takeTitleExtractor(charset);
    if (json) this.#jsonChunks = [];
    this.#jsonCharset = charset;
  }

  /** The reader a response needs, or null when its body is of no interest (let it go at once). */
  static plan(head: { status: number; contentType: string | string[] | undefined }, json: boolean): BodyReader | null {
    if (BODYLESS.has(head.status)) return null;
    const { mime, charset } = parseContentType(head.contentType);
    const html = isHtmlType(mime);
    if (!html && !json) return null;
    return new BodyReader(html, json, charset);
  }

  /** The next decoded chunk; true once nothing more is needed (the title is known, and no JSON). */
  write(chunk: Buffer): boolean {
    const chunks = this.#jsonChunks;
    if (chunks !== undefined) {
      chunks.push(chunk);
      this.#jsonBytes += chunk.length;
    }
    if (this.#extractor === undefined) return false;
    const started = performance.now();
    const done = this.#scan(chunk);
    spentThisTurn += performance.now() - started;
    if (!turnScheduled) {
      turnScheduled = true;
      setImmediate(newTurn);
    }
    return done && chunks === undefined;
  }

  /** Feeds the title extractor within TITLE_SCAN_BYTES; true once the title is known. */
  #scan(chunk: Buffer): boolean {
    const extractor = this.#extractor!;
    const room = TITLE_SCAN_BYTES - this.#scanned;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#scanned += part.length;
    if (extractor.write(part)) return true;
    if (this.#scanned >= TITLE_SCAN_BYTES) {
      // No title in the bytes examined: none is looked for further.
      releaseTitleExtractor(extractor);
      this.#extractor = undefined;
    }
    return false;
  }

  /**
   * The body is dealt with: the title (and JSON) go onto the row. `complete` says the body was read
   * to its end. Throws BadJsonError for a JSON body that does not parse (unless `httpErrorExplains`:
   * an error status explains an HTML error page better). Releases the reader.
   */
  finish(row: FetchRow, complete: boolean, httpErrorExplains: boolean): void {
    try {
      const extractor = this.#extractor;
      if (extractor !== undefined) {
        if (complete || this.#jsonChunks !== undefined) extractor.end();
        row.title = extractor.title;
      }
      if (this.#jsonChunks !== undefined) this.#parseJson(row, httpErrorExplains);
    } finally {
      this.release();
    }
  }

  /**
   * The body failed (cut short, timed out): the title in what did arrive stays on the row, as a
   * browser shows it. Releases the reader.
   */
  failed(row: FetchRow): void {
    const extractor = this.#extractor;
    if (extractor !== undefined) {
      if (!extractor.done) extractor.end(); // bytes held back while the charset was undecided count
      row.title = extractor.title;
    }
    this.release();
  }

  /** Lets go of the reader (the extractor goes back to its pool); idempotent. */
  release(): void {
    if (this.#extractor !== undefined) releaseTitleExtractor(this.#extractor);
    this.#extractor = undefined;
    this.#jsonChunks = undefined;
  }

  #parseJson(row: FetchRow, httpErrorExplains: boolean): void {
    // JSON is UTF-8 (RFC 8259); a declared charset is honoured for old APIs that send another.
    const decoder = createDecoder(this.#jsonCharset);
    const text = decoder.write(Buffer.concat(this.#jsonChunks!, this.#jsonBytes)) + decoder.end();
    try {
      if (text.trim() === '') throw new Error('the body is empty');
      row.json = JSON.parse(text);
    } catch (error) {
      if (!(httpErrorExplains && row.status >= 400)) {
        throw new BadJsonError(`response body is not valid JSON: ${(error as Error).message}`);
      }
    }
  }
}
