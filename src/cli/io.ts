/**
 * What a CLI run talks to. Injected, so the whole CLI runs in-process in tests with fake streams and
 * its own AbortSignal standing in for Ctrl-C.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** The environment (`NO_COLOR`, `FORCE_COLOR`, `TERM`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Aborts on SIGINT / SIGTERM (main.ts wires it); the abort reason names the signal. */
  signal?: AbortSignal;
}

/** Exit statuses: scripts tell "some URLs failed" from "you called me wrong" from "interrupted". */
export const EXIT = {
  ok: 0,
  someFailed: 1,
  usage: 2,
  interrupted: 130, // 128 + SIGINT
  terminated: 143, // 128 + SIGTERM
} as const;

/** The exit status for a run cut short by `signal`: 143 for SIGTERM, 130 otherwise. */
export function interruptedStatus(signal: AbortSignal | undefined): number {
  return signal?.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}
