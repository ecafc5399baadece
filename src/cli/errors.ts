/**
 * Errors the CLI turns into an exit status instead of a stack trace.
 */

/**
 * The user asked for something we cannot do (a bad flag, a missing input file): print the one-line
 * message to stderr and exit with status 2, the Unix convention for usage errors, so scripts can tell
 * "you called me wrong" (2) from "some URLs failed" (1).
 *
 * @example
 * ```ts
 * try {
 *   await run(argv);
 * } catch (err) {
 *   if (err instanceof UsageError) {
 *     process.stderr.write(err.message + '\n');
 *     process.exitCode = err.exitCode; // 2
 *   } else throw err;
 * }
 * ```
 */
export class UsageError extends Error {
  /** The process exit status for this error: always 2. */
  readonly exitCode: number = 2;
  override name = 'UsageError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
