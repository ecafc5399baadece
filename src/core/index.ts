/**
 * gather: Python asyncio's concurrency toolbox for TypeScript. Zero runtime dependencies.
 *
 * @example
 * ```ts
 * import { gather, sleep } from 'gather';
 * const results = await gather(sleep(100, 'Result 1'), sleep(200, 'Result 2')); // ['Result 1', 'Result 2'] after ~200 ms
 * ```
 */
export { gather, type GatherOptions } from './gather.js';
export { createTask, Task, type TaskOptions } from './task.js';
export { sleep, type SleepOptions } from './sleep.js';
export { Semaphore, BoundedSemaphore, type AcquireOptions } from './semaphore.js';
export { TaskGroup, type TaskGroupOptions, type TaskGroupBody } from './task-group.js';
export { asCompleted, type AsCompletedOptions } from './as-completed.js';
export { waitFor, timeout, type DeadlineOptions } from './timeout.js';
export { map, MapRun, DEFAULT_CONCURRENCY, DEFAULT_WINDOW, type MapOptions, type Mapper, type Indexed, type Admission } from './map.js';
export { CancelledError, TimeoutError, isCancellation } from './errors.js';
export { currentSignal } from './scope.js';
export type { Job, Settled, GatherResults, GatherResultsOrErrors } from './types.js';
export { shield, shielded, type ShieldOptions } from './shield.js';
export { Event, type SignalOptions } from './event.js';
export { Lock } from './lock.js';
export { Condition } from './condition.js';
export { Barrier, BrokenBarrierError } from './barrier.js';
export { Queue, QueueShutDown, QueueEmpty, QueueFull } from './queue.js';
export { LifoQueue } from './lifo-queue.js';
export { PriorityQueue, type PriorityQueueOptions } from './priority-queue.js';
export type { Compare } from './queue-store.js';
export { wait, type ReturnWhen, type WaitOptions, type WaitResult, type Started } from './wait.js';
