/**
 * Where `gather fetch` gets its URLs: arguments that are URLs, files of URLs (one a line), stdin
 * (`-`, or nothing given), and `--list FILE`s, read in that order as one stream. Every file is
 * opened and checked before anything is fetched or any output file touched, so a bad path is a
 * usage error up front; every file opened is closed, on every path.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';
import { LineSplitter, maxLineBytes, readUrlLines, type ReadUrlLinesOptions } from './url-reader.js';

/**
 * The URLs of a run, opened.
 *
 * @example
 * ```ts
 * const inputs = openInputs(['urls.txt', 'https://example.com/'], [], process.stdin);
 * try { for await (const url of inputs.urls) queue(url); } finally { inputs.close(); }
 * ```
 */
export interface UrlInputs {
  /** Every URL, in order: a plain iterable when nothing can block (arguments, regular files). */
  urls: AsyncIterable<string> | Iterable<string>;
  /** True when stdin is read and is a terminal (a person is expected to type URLs). */
  readsTerminal: boolean;
  /** The files read (stdin included when it is a file), to refuse an output that is one of them. */
  files: readonly Stats[];
  /** True when every input can be counted before the run (arguments and regular files only). */
  countable: boolean;
  /** How many URLs the inputs hold; a full pass over each file (about 0.3 s per million lines). Only when `countable`. */
  count(): number;
  /** Closes every file still open (reading to the end closes each one already). Idempotent. */
  close(): void;
}

/**
 * True for an argument that names a URL rather than a file: it starts with a scheme and `//`
 * (`https://...`). Non-HTTP schemes count too, so `ftp://x` becomes an `unsupported_scheme` row
 * rather than "no such file".
 *
 * @example
 * ```ts
 * isUrlArgument('https://example.com/'); // true
 * isUrlArgument('urls.txt'); // false
 * ```
 */
export function isUrlArgument(arg: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
}

/** One opened file of URLs; `close` is safe to call twice. */
class UrlFile {
  readonly path: string;
  readonly fd: number;
  readonly stats: Stats;
  #open = true;

  constructor(path: string) {
    this.path = path;
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw cannotRead(path, err);
    }
    try {
      this.stats = fstatSync(this.fd);
      // On Linux, open() succeeds on a directory and only read() fails (EISDIR), mid-run.
      if (this.stats.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (err) {
      this.close();
      throw cannotRead(path, err);
    }
  }

  #stream: Readable | undefined;

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    // A stream that owns the descriptor closes it itself (and would fail closing it a second time).
    if (this.#stream) this.#stream.destroy();
    else closeSync(this.fd);
  }

  /**
   * A stream over the descriptor, for a file that may block; the stream owns the descriptor from
   * then on. A FIFO is read as a pipe (non-blocking, like a piped stdin), so that stopping early
   * never leaves a read blocked in the thread pool, keeping the process alive until the writer
   * writes again; a device through an fs stream.
   */
  stream(): Readable {
    this.#stream ??= (
      this.stats.isFIFO() ? new Socket({ fd: this.fd, readable: true, writable: false }) : createReadStream('', { fd: this.fd, highWaterMark: 64 * 1024 })
    ).on('close', () => {
      this.#open = false;
    });
    return this.#stream;
  }
}

/**
 * Opens the inputs of `gather fetch`: `args` in order (URLs, files, `-` for stdin), then the
 * `lists` files; stdin alone when both are empty. Throws a {@link UsageError} naming the first
 * file that cannot be read, after closing those already opened.
 *
 * @example
 * ```ts
 * const inputs = openInputs(['-'], ['more.txt'], process.stdin);
 * ```
 */
export function openInputs(args: readonly string[], lists: readonly string[], stdin: NodeJS.ReadableStream, options: ReadUrlLinesOptions = {}): UrlInputs {
  const max = maxLineBytes(options);
  const names = args.length + lists.length === 0 ? ['-'] : [...args];
  if (names.filter((a) => a === '-').length > 1) throw new UsageError("gather: '-' (stdin) can be given only once");
  const opened: UrlFile[] = [];
  const parts: Array<{ url: string } | { file: UrlFile } | { stdin: true }> = [];
  try {
    for (const name of names) {
      if (name === '-') parts.push({ stdin: true });
      else if (isUrlArgument(name)) parts.push({ url: name });
      else parts.push({ file: remember(opened, new UrlFile(name)) });
    }
    for (const list of lists) parts.push({ file: remember(opened, new UrlFile(list)) });
  } catch (err) {
    for (const file of opened) file.close();
    throw err;
  }

  const readsStdin = parts.some((p) => 'stdin' in p);
  const stdinStats = readsStdin ? statsOfStream(stdin) : undefined;
  const sources = parts.map((part): AsyncIterable<string> | Iterable<string> => {
    if ('url' in part) return [part.url];
    if ('stdin' in part) return readUrlLines(stdin, options);
    const { file } = part;
    if (file.stats.isFile()) return readFileLines(file, max);
    // FIFOs and character devices (`<(cmd)`, /dev/stdin) may block: read them asynchronously.
    return readUrlLines(file.stream(), options);
  });
  const countable = parts.every((p) => 'url' in p || ('file' in p && p.file.stats.isFile()));
  return {
    urls: sources.length === 1 ? sources[0] : chain(sources),
    readsTerminal: readsStdin && (stdin as { isTTY?: boolean }).isTTY === true,
    files: [...opened.map((f) => f.stats), ...(stdinStats ? [stdinStats] : [])],
    countable,
    count: () => parts.reduce((n, p) => n + ('url' in p ? 1 : 'file' in p ? countFileUrls(p.file, max) : 0), 0),
    close: () => {
      for (const file of opened) file.close();
    },
  };
}

function remember(opened: UrlFile[], file: UrlFile): UrlFile {
  opened.push(file);
  return file;
}

/** The stats of a stream backed by a file descriptor (process.stdin), else undefined. */
function statsOfStream(stream: NodeJS.ReadableStream): Stats | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/** One stream of several sources, in order; synchronous when every source is. */
function chain(sources: Array<AsyncIterable<string> | Iterable<string>>): AsyncIterable<string> | Iterable<string> {
  if (sources.every((s) => Symbol.iterator in s)) {
    return (function* (): Generator<string> {
      for (const source of sources as Iterable<string>[]) yield* source;
    })();
  }
  return new ChainedSources(sources);
}

/**
 * Several sources read one after the other, as one async iterator. Not an async generator: a
 * generator's return() waits behind a pending next(), so stopping while stdin or a pipe is idle
 * would hang; here return() goes straight to the source being read, which ends its pending read.
 */
class ChainedSources implements AsyncIterableIterator<string> {
  readonly #sources: Array<AsyncIterable<string> | Iterable<string>>;
  #index = 0;
  #current: AsyncIterator<string> | Iterator<string> | undefined;

  constructor(sources: Array<AsyncIterable<string> | Iterable<string>>) {
    this.#sources = sources;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<string>> {
    while (this.#index < this.#sources.length) {
      const source = this.#sources[this.#index];
      this.#current ??= Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
      const result = await this.#current.next();
      if (!result.done) return result;
      this.#current = undefined;
      this.#index += 1;
    }
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<string>> {
    const current = this.#current;
    this.#index = this.#sources.length;
    this.#current = undefined;
    // Sources not started hold nothing but their file, which UrlInputs.close() closes.
    await current?.return?.();
    return { done: true, value: undefined };
  }
}

/** How much of a URL file one synchronous read takes. */
const FILE_CHUNK_BYTES = 64 * 1024;

/**
 * The lines of an opened regular file, read synchronously a chunk at a time (memory: one chunk
 * and one line), with the rules of `readUrlLines`. A read from the page cache takes microseconds,
 * and a synchronous source spares the fetcher a promise or more per URL. The file is closed at the
 * end, on an error, or when the consumer stops early.
 */
function* readFileLines(file: UrlFile, max: number): Generator<string, void, undefined> {
  const splitter = new LineSplitter(max);
  const lines: string[] = [];
  try {
    for (;;) {
      // A new buffer per chunk: the splitter keeps views of the previous one for a line cut in two.
      const chunk = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
      const read = readSync(file.fd, chunk, 0, chunk.length, null);
      if (read === 0) {
        splitter.end(lines);
        yield* lines;
        return;
      }
      splitter.push(chunk.subarray(0, read), lines);
      yield* lines;
      lines.length = 0;
    }
  } finally {
    file.close();
  }
}

/** The number of URL lines of a regular file, by the reader's own rules; reads by position, so the reader's place is untouched. */
function countFileUrls(file: UrlFile, max: number): number {
  const splitter = new LineSplitter(max);
  const lines: string[] = [];
  const chunk = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
  let count = 0;
  let position = 0;
  for (;;) {
    const read = readSync(file.fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    position += read;
    // The splitter keeps views of a line cut in two: give it a copy of the part it may keep.
    splitter.push(Buffer.from(chunk.subarray(0, read)), lines);
    count += lines.length;
    lines.length = 0;
  }
  splitter.end(lines);
  return count + lines.length;
}

// A missing "file" that reads like a host name (example.com, api.example.org/v1) was probably
// meant as a URL; common file extensions are not host names.
const LOOKS_LIKE_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?(\/|$)/i;
const FILE_EXTENSION = /\.(txt|csv|tsv|list|urls|json|jsonl|ndjson|log|md|gz|zip|html?)$/i;

/** Map a filesystem error to the one-line message a user can act on. */
function cannotRead(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: LOOKS_LIKE_HOST.test(path) && !FILE_EXTENSION.test(path) ? `no such file (to fetch it as a URL, write https://${path})` : 'no such file',
    EISDIR: 'is a directory, expected a file of URLs, one per line',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is not a directory',
    ELOOP: 'too many levels of symbolic links',
  };
  const reason = (code && reasons[code]) ?? (err instanceof Error ? err.message : String(err));
  return new UsageError(`gather: cannot read '${path}': ${reason}`, { cause: err });
}
