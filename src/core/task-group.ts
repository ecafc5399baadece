import { Parents, createController } from './abort.js';
import { CancelledError, cancelledErrorOf, isCancellation } from './errors.js';
import { runInScope } from './scope.js';
import { Task } from './task.js';
import type { Job } from './types.js';
import { checkFunction, checkOptions, checkSignal } from './validate.js';

/** Options of {@link TaskGroup}. */
export interface TaskGroupOptions {
  /** Cancels the group: every task and the body. The ambient signal does too. */
  signal?: AbortSignal;
}

/** The body of a task group: it creates tasks with `group.createTask(job)`. */
export type TaskGroupBody<T> = (group: TaskGroup, signal: AbortSignal) => T | PromiseLike<T>;

type Phase = 'new' | 'running' | 'aborting' | 'finished';

/**
 * Structured concurrency, like `asyncio.TaskGroup`: `run(body)` settles only when the body and every
 * task created in the group have settled. The first failure (of a task or the body) cancels all
 * the others and the body; once everything settled, `run` rejects with an `AggregateError` holding
 * every failure (cancellations are not failures). Creating a task after the group finished is an
 * error.
 *
 * @example
 * ```ts
 * const [user, repos] = await TaskGroup.run(async (group) => {
 *   const user = group.createTask((signal) => fetchUser(id, signal));
 *   const repos = group.createTask((signal) => fetchRepos(id, signal));
 *   return [await user, await repos] as const;
 * });
 * ```
 */
export class TaskGroup {
  readonly #controller = createController();
  readonly #explicit: AbortSignal | undefined;
  #phase: Phase = 'new';
  #pending = 0;
  #errors: unknown[] = [];
  #bodySettled = false;
  #bodyValue: unknown;
  #bodyFailure: { error: unknown } | undefined;
  #finish: (() => void) | undefined;

  constructor(options?: TaskGroupOptions) {
    const { signal } = checkOptions('TaskGroup', options, ['signal']) as TaskGroupOptions;
    this.#explicit = checkSignal('signal', signal);
  }

  /**
   * Creates a group and runs `body` in it: the `async with asyncio.TaskGroup() as group:` of Python.
   * Resolves with the body's value once every task settled.
   *
   * @example
   * ```ts
   * await TaskGroup.run((group) => { for (const url of urls) group.createTask((signal) => fetch(url, { signal })); });
   * ```
   */
  static run<T>(body: TaskGroupBody<T>, options?: TaskGroupOptions): Promise<Awaited<T>> {
    return new TaskGroup(options).run(body);
  }

  /** The signal that aborts when the group is cancelled or a task failed. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Runs `body` in the group (once per group) and settles when the body and all tasks have.
   *
   * @example
   * ```ts
   * const group = new TaskGroup({ signal: AbortSignal.timeout(5_000) });
   * await group.run(async (g) => { g.createTask(() => sleep(10)); });
   * ```
   */
  run<T>(body: TaskGroupBody<T>): Promise<Awaited<T>> {
    checkFunction('body', body);
    if (this.#phase !== 'new') return Promise.reject(new Error('TaskGroup.run() was already called; a group runs once'));
    this.#phase = 'running';
    const parents = new Parents(this.#explicit);
    return new Promise<Awaited<T>>((resolve, reject) => {
      const cancelled = parents.cancelled();
      const stopListening = parents.onAbort((parent) => this.#abort(cancelledErrorOf(parent)));
      this.#finish = () => {
        this.#phase = 'finished';
        stopListening();
        const parentCancelled = parents.cancelled();
        if (this.#errors.length > 0) {
          const first = this.#errors[0] as { message?: unknown };
          const count = this.#errors.length;
          const message = `${count} task${count === 1 ? '' : 's'} failed in the TaskGroup; first: ${String(first?.message ?? first)}`;
          reject(new AggregateError(this.#errors, message));
        } else if (parentCancelled) {
          reject(parentCancelled);
        } else if (this.#bodyFailure) {
          reject(this.#bodyFailure.error); // the body was cancelled on its own (it awaited a cancelled task)
        } else {
          resolve(this.#bodyValue as Awaited<T>);
        }
      };
      if (cancelled) this.#abort(cancelled);
      const signal = this.#controller.signal;
      this.#pending++; // the body counts as a child until it settles
      let result: unknown;
      try {
        result = runInScope(signal, body, this, signal);
      } catch (error) {
        this.#childSettled(false, error, true);
        return;
      }
      Promise.resolve(result).then(
        (value) => this.#childSettled(true, value, true),
        (error: unknown) => this.#childSettled(false, error, true),
      );
    });
  }

  /**
   * Starts `job` as a task of this group. Throws if the group has finished or is shutting down
   * after a failure.
   */
  createTask<T>(job: Job<T>, options?: { name?: string }): Task<Awaited<T>> {
    if (this.#phase === 'new') throw new Error('TaskGroup is not running: create tasks inside run(body)');
    if (this.#phase === 'finished') throw new Error('TaskGroup is finished: it cannot take new tasks');
    if (this.#phase === 'aborting') throw new Error('TaskGroup is shutting down after a failure or cancellation: it cannot take new tasks');
    const task = new Task(job as Job<Awaited<T>>, { name: options?.name, signal: this.#controller.signal });
    this.#pending++;
    task.then(
      (value) => this.#childSettled(true, value, false),
      (error: unknown) => this.#childSettled(false, error, false),
    );
    return task;
  }

  #childSettled(ok: boolean, value: unknown, isBody: boolean): void {
    if (isBody) {
      this.#bodySettled = true;
      if (ok) this.#bodyValue = value;
      else this.#bodyFailure = { error: value };
    }
    if (!ok && !(isCancellation(value) && this.#controller.signal.aborted)) {
      // A task cancelled on its own is not a failure and leaves the group running (asyncio); a
      // cancelled body cancels the group. A failure the body rethrew (it awaited the task) counts once.
      const cancelled = value instanceof CancelledError;
      if (!cancelled && !this.#errors.includes(value)) this.#errors.push(value);
      if (!cancelled || isBody) this.#abort(new CancelledError(value, 'cancelled: a task in the TaskGroup failed'));
    }
    if (--this.#pending === 0 && this.#bodySettled) this.#finish?.();
  }

  #abort(reason: CancelledError): void {
    if (this.#phase === 'running') this.#phase = 'aborting';
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }
}
