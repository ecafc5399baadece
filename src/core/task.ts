import { Parents, createController } from './abort.js';
import { CancelledError, isCancellation, toError } from './errors.js';
import { runInScope } from './scope.js';
import { noop } from './shared.js';
import { isThenable, type Job } from './types.js';
import { checkBoolean, checkFunction, checkOptions, checkSignal, describe } from './validate.js';

/** Options of {@link createTask} and `new Task()`. */
export interface TaskOptions {
  /** A name for logs and errors. Default: `Task-N`. */
  name?: string;
  /** Cancels the task when it aborts. The ambient signal (when created inside a job) does too. */
  signal?: AbortSignal;
  /**
   * Runs the job at once, synchronously up to its first `await` (Python 3.12's eager tasks), instead
   * of on the next microtask. A job that finishes without awaiting leaves the task done on return.
   * Default false.
   */
  eager?: boolean;
}

/** @internal Starts the job synchronously and without an ambient scope (gather's own runner). */
export const RUN_EAGERLY: unique symbol = Symbol('gather.runEagerly');

type State = 'pending' | 'fulfilled' | 'rejected' | 'cancelled';

let taskCount = 0;

/**
 * A running job that can be awaited, inspected and cancelled: asyncio's `Task`. Every gather
 * returns one, and {@link createTask} makes one from a job.
 *
 * The job starts on the next microtask, so `createTask(job).cancel()` cancels it before it ever
 * runs (as in asyncio). Once started, cancellation is cooperative: the job's signal aborts, the
 * `sleep`, gather and fetch calls it is awaiting reject with `CancelledError`, and the task settles
 * when the job does. A task never produces an unhandled rejection: its failure is held for whoever
 * awaits it or asks `exception()`.
 *
 * @example
 * ```ts
 * const task = createTask(async (signal) => { await sleep(1000, undefined, { signal }); return 'done'; });
 * task.cancel('not needed');
 * await task.catch((error) => console.log(error.name)); // "CancelledError"
 * console.log(task.cancelled()); // true
 * ```
 */
export class Task<T> implements PromiseLike<T> {
  /** The task's name, `Task-N` unless given. */
  readonly name: string;
  readonly #controller = createController();
  readonly #promise: Promise<T>;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #state: State = 'pending';
  #value: T | undefined;
  #error: unknown;
  #started = false;
  #stopListening: () => void = noop;

  constructor(job: Job<T>, options?: TaskOptions) {
    checkFunction('job', job);
    const { name, signal, eager } = checkOptions('createTask()', options, ['name', 'signal', 'eager']) as TaskOptions;
    checkBoolean('eager', eager);
    if (name !== undefined && typeof name !== 'string') {
      throw new TypeError(`Expected \`name\` to be a string, got ${describe(name)}`);
    }
    this.name = name ?? `Task-${++taskCount}`;
    this.#promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#promise.catch(noop); // held for whoever asks; never an unhandled rejection
    const parents = new Parents(checkSignal('signal', signal));
    const cancelled = parents.cancelled();
    if (cancelled) {
      this.cancel(cancelled);
      return;
    }
    this.#stopListening = parents.onAbort((parent) => this.cancel(parent.reason));
    if ((options as Record<symbol, unknown> | undefined)?.[RUN_EAGERLY]) this.#start(job, false);
    else if (eager === true) this.#start(job, true);
    else queueMicrotask(() => this.#start(job, true));
  }

  #start(job: Job<T>, scoped: boolean): void {
    const signal = this.#controller.signal;
    if (signal.aborted) return; // cancelled before it ran: already settled
    this.#started = true;
    let result: T | PromiseLike<T>;
    try {
      result = scoped ? runInScope(signal, job, signal) : job(signal);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (isThenable(result)) {
      Promise.resolve(result).then(
        (value) => this.#fulfil(value),
        (error: unknown) => this.#fail(error),
      );
    } else {
      this.#fulfil(result);
    }
  }

  #fulfil(value: T): void {
    if (this.#state !== 'pending') return;
    this.#state = 'fulfilled';
    this.#value = value;
    this.#stopListening();
    this.#resolve(value);
  }

  #fail(error: unknown): void {
    if (this.#state !== 'pending') return;
    if (error instanceof CancelledError || (isCancellation(error) && this.#controller.signal.aborted)) {
      this.#settleCancelled(error instanceof CancelledError ? error : this.#controller.signal.reason);
      return;
    }
    this.#state = 'rejected';
    this.#error = error;
    this.#stopListening();
    this.#reject(error);
  }

  #settleCancelled(error: CancelledError): void {
    this.#state = 'cancelled';
    this.#error = error;
    this.#stopListening();
    this.#reject(error);
  }

  /**
   * Requests cancellation: aborts the job's signal (a job that has not started never runs).
   * Returns false when the task is already done, true otherwise.
   */
  cancel(reason?: unknown): boolean {
    if (this.#state !== 'pending') return false;
    if (!this.#controller.signal.aborted) {
      this.#controller.abort(reason instanceof CancelledError ? reason : new CancelledError(reason));
    }
    if (!this.#started) this.#settleCancelled(this.#controller.signal.reason as CancelledError);
    return true;
  }

  /** True once the task was cancelled (and has settled as cancelled). */
  cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /** True once the task has a result, a failure, or was cancelled. */
  done(): boolean {
    return this.#state !== 'pending';
  }

  /** The value. Throws the failure or `CancelledError` if it ended so, and an Error if it is not done yet. */
  result(): T {
    switch (this.#state) {
      case 'fulfilled':
        return this.#value as T;
      case 'pending':
        throw new Error(`Task ${this.name} is not done yet: await it, or check done() first`);
      default:
        throw this.#error;
    }
  }

  /** The failure as an Error, or undefined if it succeeded. Throws `CancelledError` if cancelled. */
  exception(): Error | undefined {
    switch (this.#state) {
      case 'fulfilled':
        return undefined;
      case 'rejected':
        return toError(this.#error);
      case 'cancelled':
        throw this.#error;
      default:
        throw new Error(`Task ${this.name} is not done yet: await it, or check done() first`);
    }
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#promise.catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#promise.finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return 'Task';
  }
}

/**
 * Starts `job` as a {@link Task}: asyncio's `create_task`. The job receives the task's AbortSignal
 * and runs in its scope, so `sleep()` and `gather()` inside it are cancelled with the task. With
 * `{ eager: true }` the job runs synchronously up to its first `await` before createTask returns
 * (asyncio's eager task factory): a job answered from a cache costs no extra turn.
 *
 * Unlike asyncio, a task created inside another job is also cancelled when that job's scope is:
 * work never outlives the scope that started it unless you create it at the top level.
 *
 * @example
 * ```ts
 * const first = createTask(() => sleep(50, 'first'), { name: 'first' });
 * const second = createTask(() => sleep(10, 'second'));
 * second.cancel();
 * console.log(await gather([first, second], { returnExceptions: true })); // ['first', CancelledError]
 * ```
 */
export function createTask<T>(job: Job<T>, options?: TaskOptions): Task<Awaited<T>> {
  return new Task(job as Job<Awaited<T>>, options);
}
