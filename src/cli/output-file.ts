/**
 * The `--output` file: refused when it is one of the inputs (same path, a symlink to it, a hard
 * link: the same inode), checked before it is opened, because opening it truncates it.
 */
import { closeSync, openSync, statSync, writeSync, type Stats } from 'node:fs';
import { Writable } from 'node:stream';
import { UsageError } from './errors.js';
import { BATCH_BYTES } from './formats/sink.js';

/**
 * Throws a {@link UsageError} when `path` is the same file as one of `inputs` (compared by device
 * and inode, so a symlink or a hard link to an input is caught too). A path that does not exist
 * yet is fine, and so is anything that is not a regular file (`/dev/null`, a FIFO).
 *
 * @example
 * ```ts
 * refuseInputAsOutput('urls.txt', [fstatSync(inputFd)]); // throws: it is also an input
 * ```
 */
export function refuseInputAsOutput(path: string, inputs: readonly Stats[]): void {
  let target: Stats;
  try {
    target = statSync(path);
  } catch {
    return; // missing (or unreadable): opening it says what is wrong
  }
  // Only a regular file is destroyed by opening it for writing; /dev/null in and out is fine.
  if (!target.isFile()) return;
  if (inputs.some((input) => input.dev === target.dev && input.ino === target.ino)) {
    throw new UsageError(`gather: '${path}' is also an input: writing rows there would destroy the URLs before they are read; choose another --output`);
  }
}

/**
 * Opens (creating or truncating) the `--output` file as a Writable whose writes are plain
 * `fs.writeSync` calls (what node does for a stdout redirected to a file). The rows come in batches
 * of kilobytes; a synchronous write of one costs microseconds, where each write of an
 * `fs.WriteStream` is a round trip through libuv's thread pool, a thread to wake on cores that are
 * busy fetching.
 *
 * @example
 * ```ts
 * const out = openOutput('rows.jsonl'); // UsageError "cannot write ..." when it cannot be opened
 * ```
 */
export function openOutput(path: string): Writable {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new UsageError(`gather: cannot write '${path}': ${why}`);
  }
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return new Writable({
    // Room for the writer's biggest batches (half of this), so a batch never has to wait.
    highWaterMark: 2 * BATCH_BYTES,
    // Text goes to the file as is: no Buffer made of it first.
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      try {
        writeFully(fd, chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        close();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      try {
        close();
      } catch {
        // the stream's own error, if any, is the one to report
      }
      callback(error);
    },
  });
}

/** Writes all of `data` (a write to a file may, rarely, take less than it was given). */
function writeFully(fd: number, data: Buffer | string): void {
  let bytes: Buffer;
  let written: number;
  if (typeof data === 'string') {
    written = writeSync(fd, data);
    if (written === Buffer.byteLength(data)) return;
    bytes = Buffer.from(data);
  } else {
    bytes = data;
    written = 0;
  }
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}
