/**
 * A streaming `<title>` extractor: bytes in, chunk by chunk, through a real HTML tokenizer
 * (htmlparser2), with the page's encoding decided as a browser would. `write()` says when the title
 * is known, so the caller can stop reading: a 50 MB page with its title in the head costs what a
 * 5 KB page costs.
 */
import { Parser } from 'htmlparser2';
import { PRESCAN_BYTES, canonicalEncoding, createDecoder, prescanCharset, sniffBom, type Decoder } from './charset.js';

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
 * HTML's ASCII whitespace, collapsed to one space and trimmed, as `document.title` does.
 *
 * @example
 * ```ts
 * collapseWhitespace('  Fish &\n  Chips '); // 'Fish & Chips'
 * ```
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/[\t\n\f\r ]+/g, ' ').trim();
}

// Elements whose own <title> is not the document's (SVG's tooltip title; MathML for good measure).
const FOREIGN = new Set(['svg', 'math']);

// Entities are decoded in the title only. The document parser runs with decodeEntities off: then
// htmlparser2 skips plain text with indexOf('<') instead of a per-character loop, which makes a
// title-less 10 MB page (or a decompression bomb) several times cheaper to scan.
let entityParser: Parser | undefined;
let entityText = '';

/** Decodes the entities of raw `<title>` content, with the same tokenizer rules (RCDATA) as a page. */
function decodeTitleText(raw: string): string {
  if (!raw.includes('&')) return raw;
  entityParser ??= new Parser(
    {
      ontext(data) {
        entityText += data;
      },
    },
    { decodeEntities: true },
  );
  entityText = '';
  try {
    entityParser.reset();
    // The raw text cannot contain "</title" (the page's title ended there), so this is one RCDATA run.
    entityParser.end(`<title>${raw}</title>`);
    return entityText;
  } catch {
    return raw;
  } finally {
    entityText = '';
  }
}

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
  const headerEncoding = canonicalEncoding(contentTypeCharset);
  let decoder: Decoder | undefined;
  // Bytes held back until the encoding is decided (at most PRESCAN_BYTES, or up to a BOM decision).
  let held: Buffer[] = [];
  let heldLength = 0;
  let done = false;
  let ended = false;
  let title: string | null = null;
  let text: string | null = null; // collecting while inside the document's <title>
  let foreignDepth = 0;

  const parser = new Parser(
    {
      onopentag(name) {
        if (FOREIGN.has(name)) foreignDepth++;
        else if (name === 'title' && foreignDepth === 0 && text === null) text = '';
      },
      ontext(data) {
        if (text === null) return;
        text += data;
        if (text.length > MAX_TITLE_CHARS) finish();
      },
      onclosetag(name) {
        if (FOREIGN.has(name)) {
          if (foreignDepth > 0) foreignDepth--;
        } else if (name === 'title' && text !== null) {
          finish();
        }
      },
    },
    { decodeEntities: false },
  );

  function finish(): void {
    if (done) return;
    done = true;
    title = text === null ? null : collapseWhitespace(decodeTitleText(text.slice(0, MAX_TITLE_CHARS)));
    text = null;
    // Nothing after the title matters: stop tokenizing the rest of this chunk.
    parser.pause();
  }

  function feed(chunk: string): void {
    if (done || chunk === '') return;
    try {
      parser.write(chunk);
    } catch {
      // htmlparser2 is built never to throw on bad markup; should it, keep what we have and stop.
      finish();
    }
  }

  function decide(bytes: Buffer, final: boolean): boolean {
    const bom = sniffBom(bytes);
    if (bom === undefined && bytes.length < 3 && !final) return false; // a BOM may still be arriving
    let encoding = bom ?? headerEncoding;
    if (encoding === undefined) {
      if (bytes.length < PRESCAN_BYTES && !final) return false;
      encoding = prescanCharset(bytes) ?? 'utf-8';
    }
    // The decoder strips a BOM of its own encoding.
    decoder = createDecoder(encoding);
    return true;
  }

  return {
    write(chunk) {
      if (done || ended) return true;
      if (chunk.length === 0) return false;
      if (decoder === undefined) {
        held.push(Buffer.from(chunk)); // a copy: the caller may reuse its buffer (this is at most ~1 KB)
        heldLength += chunk.length;
        const bytes = held.length === 1 ? held[0]! : Buffer.concat(held, heldLength);
        if (!decide(bytes, false)) {
          held = [bytes];
          return false;
        }
        held = [];
        heldLength = 0;
        feed(decoder!.write(bytes));
        return done;
      }
      feed(decoder.write(chunk));
      return done;
    },
    end() {
      if (ended) return;
      ended = true;
      if (!done) {
        if (decoder === undefined) {
          const bytes = Buffer.concat(held, heldLength);
          held = [];
          decide(bytes, true);
          feed(decoder!.write(bytes));
        }
        feed(decoder!.end());
        if (!done) {
          try {
            parser.end(); // closes an unterminated <title>, which calls finish()
          } catch {
            // see feed()
          }
        }
      }
      finish();
    },
    get title() {
      return title;
    },
    get done() {
      return done;
    },
    get encoding() {
      return decoder?.encoding;
    },
  };
}
