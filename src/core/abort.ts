/**
 * Small helpers for listening to up to two AbortSignals (an explicit one and the ambient one) with
 * listeners that are always removed, so long-lived signals do not accumulate listeners.
 */
import { setMaxListeners } from 'node:events';
import { cancelledErrorOf, type CancelledError } from './errors.js';
import { currentSignal } from './scope.js';
import { noop } from './shared.js';
import { checkOptions, checkSignal } from './validate.js';

/** The explicit signal and the ambient one, deduplicated. */
export function signalsFor(explicit: AbortSignal | undefined): [AbortSignal | undefined, AbortSignal | undefined] {
  const ambient = currentSignal();
  return ambient === explicit ? [explicit, undefined] : [explicit, ambient];
}

/** Whichever of the signals has already aborted, if any. */
export function abortedOf(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a?.aborted) return a;
  if (b?.aborted) return b;
  return undefined;
}

/**
 * The signals a call answers to, read once when it starts: the explicit `signal` option and the
 * ambient signal of the job it runs in. Every abortable primitive starts with this.
 */
export class Parents {
  readonly explicit: AbortSignal | undefined;
  readonly ambient: AbortSignal | undefined;

  constructor(explicit: AbortSignal | undefined) {
    [this.explicit, this.ambient] = signalsFor(explicit);
  }

  /** The CancelledError to fail with when either signal has aborted (now), else undefined. */
  cancelled(): CancelledError | undefined {
    const aborted = abortedOf(this.explicit, this.ambient);
    return aborted && cancelledErrorOf(aborted);
  }

  /** Calls `callback` once when the first signal aborts; returns the remover of the listeners. */
  onAbort(callback: (signal: AbortSignal) => void): () => void {
    return onAbort(this.explicit, this.ambient, callback);
  }
}

/** No signal at all: what a call outside any job, without options, answers to. */
const NO_PARENTS = new Parents(undefined);

/** Options of every wait that only takes a signal: checked, then read as {@link Parents}. */
export function parentsFromOptions(where: string, options: unknown): Parents {
  if (options === undefined && currentSignal() === undefined) return NO_PARENTS; // the hot path builds nothing
  const { signal } = checkOptions(where, options, ['signal']);
  return new Parents(checkSignal('signal', signal));
}

/**
 * Calls `onAbort` at most once, when the first of the signals aborts. Returns the function that
 * removes the listeners; call it on every settle path.
 */
export function onAbort(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
  callback: (signal: AbortSignal) => void,
): () => void {
  if (a === undefined && b === undefined) return noop;
  let fired = false;
  const fromA = (): void => fire(a as AbortSignal);
  const fromB = (): void => fire(b as AbortSignal);
  function dispose(): void {
    a?.removeEventListener('abort', fromA);
    b?.removeEventListener('abort', fromB);
  }
  function fire(signal: AbortSignal): void {
    if (fired) return;
    fired = true;
    dispose();
    callback(signal);
  }
  a?.addEventListener('abort', fromA, { once: true });
  b?.addEventListener('abort', fromB, { once: true });
  return dispose;
}

/**
 * An AbortController whose signal may have any number of listeners: every job of a gather, every
 * call of a map, listens to one shared signal, and node would warn past 10.
 */
export function createController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
