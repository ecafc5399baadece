/**
 * A streaming `<title>` extractor: bytes in, chunk by chunk, through a real HTML tokenizer
 * (htmlparser2), with the page's encoding decided as a browser would. `write()` says when the title
 * is known, so the caller can stop reading: a 50 MB page with its title in the head costs what a
 * 5 KB page costs.
 */
import type { Parser } from 'htmlparser2';
import { PRESCAN_BYTES, Utf8Decoder, canonicalEncoding, createDecoder, prescanCharset, sniffBom, type Decoder } from './charset.js';
import { parserClass } from './load.js';
import { FOREIGN, boundOpenElements } from './parser-stack.js';
import { collapseWhitespace, decodeTitleText } from './title-text.js';

export { collapseWhitespace } from './title-text.js';

/**
 * Incremental title extraction over the raw (decompressed) bytes of one HTML document; made by
 * {@link createTitleExtractor}.
 *
 * @example
 * ```ts
 * const extractor: TitleExtractor = createTitleExtractor();
 * extractor.write(Buffer.from('<title>Hi</title>')) || extractor.end();
 * extractor.title; // 'Hi'
 * ```
 */
export interface TitleExtractor {
  /** Feeds the next bytes. Returns true once the title is known (or can no longer change): stop reading. */
  write(chunk: Uint8Array): boolean;
  /** The body ended: flushes what is buffered; an unterminated `<title>` counts up to here. */
  end(): void;
  /** The title, entities decoded and whitespace collapsed; null while unknown or when there is none. */
  readonly title: string | null;
  /** True once the title is final (found, or the document ended). */
  readonly done: boolean;
  /** The encoding the bytes are decoded with, once decided (`windows-1251`, `utf-8`...). */
  readonly encoding: string | undefined;
}

/** Title text kept at most (code units): a runaway unterminated title must not eat memory. */
export const MAX_TITLE_CHARS = 16 * 1024;

/**
 * Creates an extractor. `contentTypeCharset` is the Content-Type header's charset, if any; a BOM
 * overrides it and it overrides a `<meta>` declaration, as in browsers. Unknown names are ignored.
 * Never throws, whatever the bytes.
 *
 * @example
 * ```ts
 * const extractor = createTitleExtractor('utf-8');
 * for await (const chunk of body) if (extractor.write(chunk)) break;
 * extractor.end();
 * console.log(extractor.title); // "Herman Melville - Moby-Dick"
 * ```
 */
export function createTitleExtractor(contentTypeCharset?: string): TitleExtractor {
  return new StreamingTitle(contentTypeCharset);
}

// Extractors kept for reuse by the fetch pipeline: an htmlparser2 Parser (with its tokenizer and
// entity decoder) and a decoder cost more to create than a small page costs to scan.
const spare: StreamingTitle[] = [];
const MAX_SPARE = 64;

/**
 * An extractor from the pool (or a new one), ready for a document with this Content-Type charset.
 * Hand it back with {@link releaseTitleExtractor} once its title has been read, and use it no more.
 *
 * @example
 * ```ts
 * const extractor = takeTitleExtractor('utf-8');
 * extractor.write(chunk) || extractor.end();
 * const title = extractor.title;
 * releaseTitleExtractor(extractor);
 * ```
 */
export function takeTitleExtractor(contentTypeCharset: string | undefined): TitleExtractor {
  const reused = spare.pop();
  if (reused === undefined) return new StreamingTitle(contentTypeCharset);
  reused.spare = false;
  reused.reset(contentTypeCharset);
  return reused;
}

/**
 * Returns an extractor from {@link takeTitleExtractor} to the pool.
 *
 * @example
 * ```ts
 * releaseTitleExtractor(extractor); // extractor must not be used after this
 * ```
 */
export function releaseTitleExtractor(extractor: TitleExtractor): void {
  if (!(extractor instanceof StreamingTitle) || extractor.spare || spare.length >= MAX_SPARE) return;
  extractor.spare = true;
  spare.push(extractor);
}

/** The first slice of a chunk that is decoded and parsed; later ones double, up to MAX_SLICE. */
const FIRST_SLICE = 512;
const MAX_SLICE = 16 * 1024;

/** The extractor: one document at a time, reusable through {@link StreamingTitle.reset}. */
class StreamingTitle implements TitleExtractor {
  /** In the pool of spares (so that releasing it twice cannot put it there twice). */
  spare = false;
  #headerEncoding: string | undefined;
  #decoder: Decoder | undefined;
  /** Reused for every UTF-8 document (most of the web). */
  readonly #utf8 = new Utf8Decoder();
  // Bytes held back until the encoding is decided (at most PRESCAN_BYTES, or up to a BOM decision).
  #held: Buffer[] = [];
  #heldLength = 0;
  #done = false;
  #ended = false;
  #title: string | null = null;
  #text: string | null = null; // collecting while inside the document's <title>
  #foreignDepth = 0;
  /** The title ended at its own `</title>`: the tokenizer is back in plain text, safe to reset. */
  #closedCleanly = false;
  #parser: Parser;

  constructor(contentTypeCharset: string | undefined) {
    this.#headerEncoding = canonicalEncoding(contentTypeCharset);
    this.#parser = this.#createParser();
  }

  #createParser(): Parser {
    // onopentagname rather than onopentag: the parser then builds no attributes object per tag.
    const parser: Parser = new (parserClass())(
      {
        onopentagname: (name) => {
          if (FOREIGN.has(name)) this.#foreignDepth++;
          else if (name === 'title' && this.#foreignDepth === 0 && this.#text === null) this.#text = '';
          // Bounded nesting (see parser-stack.ts); our own count of open svg/math follows.
          const forgotten = boundOpenElements(parser);
          if (forgotten > 0) this.#foreignDepth = Math.max(0, this.#foreignDepth - forgotten);
        },
        ontext: (data) => {
          if (this.#text === null) return;
          this.#text += data;
          if (this.#text.length > MAX_TITLE_CHARS) this.#finish();
        },
        onclosetag: (name) => {
          if (FOREIGN.has(name)) {
            if (this.#foreignDepth > 0) this.#foreignDepth--;
          } else if (name === 'title' && this.#text !== null) {
            this.#closedCleanly = true;
            this.#finish();
          }
        },
      },
      // Attributes are never looked at: their names need not be lower-cased.
      { decodeEntities: false, lowerCaseAttributeNames: false },
    );
    return parser;
  }

  /** Readies the extractor for another document. */
  reset(contentTypeCharset: string | undefined): void {
    this.#headerEncoding = canonicalEncoding(contentTypeCharset);
    this.#decoder = undefined;
    this.#utf8.reset();
    this.#held = [];
    this.#heldLength = 0;
    this.#done = false;
    this.#ended = false;
    this.#title = null;
    this.#text = null;
    this.#foreignDepth = 0;
    // htmlparser2's reset() leaves some tokenizer state behind (inside <script>, <style> or an
    // unterminated <title> it stays in that element's raw-text state): a parser is reused only
    // after a document whose title closed cleanly, which leaves nothing behind; else a new one.
    if (this.#closedCleanly) this.#parser.reset();
    else this.#parser = this.#createParser();
    this.#closedCleanly = false;
  }

  get title(): string | null {
    return this.#title;
  }

  get done(): boolean {
    return this.#done;
  }

  get encoding(): string | undefined {
    return this.#decoder?.encoding;
  }

  write(chunk: Uint8Array): boolean {
    if (this.#done || this.#ended) return true;
    if (chunk.length === 0) return false;
    if (this.#decoder !== undefined) return this.#feedBytes(chunk);
    // Most documents decide at their first chunk (a Content-Type charset and no BOM to wait for):
    // then nothing is copied or held.
    let bytes: Uint8Array;
    if (this.#held.length === 0) {
      bytes = chunk;
    } else {
      this.#held.push(Buffer.from(chunk));
      this.#heldLength += chunk.length;
      bytes = Buffer.concat(this.#held, this.#heldLength);
    }
    if (!this.#decide(bytes, false)) {
      // A copy: the caller may reuse its buffer (this is at most ~1 KB).
      this.#held = [bytes === chunk ? Buffer.from(chunk) : (bytes as Buffer)];
      this.#heldLength = bytes.length;
      return false;
    }
    this.#held = [];
    this.#heldLength = 0;
    return this.#feedBytes(bytes);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!this.#done) {
      if (this.#decoder === undefined) {
        const bytes = Buffer.concat(this.#held, this.#heldLength);
        this.#held = [];
        this.#decide(bytes, true);
        this.#feed(this.#decoder!.write(bytes));
      }
      this.#feed(this.#decoder!.end());
      if (!this.#done) {
        try {
          this.#parser.end(); // closes an unterminated <title>, which calls #finish()
        } catch {
          // see #feed()
        }
      }
    }
    this.#finish();
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    const text = this.#text;
    this.#title = text === null ? null : collapseWhitespace(decodeTitleText(text.slice(0, MAX_TITLE_CHARS)));
    this.#text = null;
    // Nothing after the title matters: stop tokenizing the rest of this chunk.
    this.#parser.pause();
  }

  /**
   * Decodes and parses `bytes` a slice at a time, growing, until the title is known: most titles
   * sit in the first few hundred bytes, and a 64 KB chunk of a big page need not be decoded whole.
   */
  #feedBytes(bytes: Uint8Array): boolean {
    const decoder = this.#decoder!;
    let from = 0;
    let size = FIRST_SLICE;
    while (!this.#done && from < bytes.length) {
      const to = Math.min(bytes.length, from + size);
      this.#feed(decoder.write(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to)));
      from = to;
      if (size < MAX_SLICE) size *= 2;
    }
    return this.#done;
  }

  #feed(chunk: string): void {
    if (this.#done || chunk === '') return;
    try {
      this.#parser.write(chunk);
    } catch {
      // htmlparser2 is built never to throw on bad markup; should it, keep what we have and stop.
      this.#finish();
    }
  }

  #decide(bytes: Uint8Array, final: boolean): boolean {
    const bom = sniffBom(bytes);
    if (bom === undefined && bytes.length < 3 && !final) return false; // a BOM may still be arriving
    let encoding = bom ?? this.#headerEncoding;
    if (encoding === undefined) {
      if (bytes.length < PRESCAN_BYTES && !final) return false;
      encoding = prescanCharset(bytes) ?? 'utf-8';
    }
    // The decoder strips a BOM of its own encoding.
    this.#decoder = encoding === 'utf-8' ? this.#utf8 : createDecoder(encoding);
    return true;
  }
}
