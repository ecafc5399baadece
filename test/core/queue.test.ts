// CPython's Lib/test/test_asyncio/test_queues.py, ported to our API, plus what we add (abort
// listeners, async iteration). `await asyncio.sleep(0)` is `macrotasks(1)` here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CancelledError,
  LifoQueue,
  PriorityQueue,
  Queue,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  TaskGroup,
  TimeoutError,
  createTask,
  gather,
  waitFor,
} from '../../src/core/index.js';
import { abortListeners, macrotasks, rejection } from './_helpers.js';

describe('Queue basics (test_queues.py QueueBasicTests, QueueGetTests, QueuePutTests)', () => {
  test('test_empty, test_full, test_order, size', async () => {
    const q = new Queue<number>();
    assert.equal(q.empty(), true);
    assert.equal(q.full(), false);
    for (const i of [1, 3, 2]) await q.put(i);
    assert.equal(q.size, 3);
    assert.equal(q.empty(), false);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], [1, 3, 2]);
    const bounded = new Queue<number>(1);
    await bounded.put(1);
    assert.equal(bounded.full(), true);
  });

  test('maxsize: 0 and Infinity are unbounded; anything but an integer from 0 is refused', () => {
    assert.equal(new Queue().maxsize, 0);
    assert.equal(new Queue(Infinity).maxsize, 0);
    assert.throws(() => new Queue(-1), RangeError);
    assert.throws(() => new Queue(1.5), RangeError);
    assert.throws(() => new Queue('2' as unknown as number), /Expected `maxsize`/);
  });

  test('test_maxsize: a putter blocks after maxsize items and resumes when one is taken', async () => {
    const q = new Queue<number>(2);
    const put: number[] = [];
    const t = createTask(async () => {
      for (let i = 0; i < 3; i++) {
        await q.put(i);
        put.push(i);
      }
      return true;
    });
    await macrotasks(2);
    assert.deepEqual(put, [0, 1]);
    assert.equal(await q.get(), 0);
    await macrotasks(1);
    assert.deepEqual(put, [0, 1, 2]);
    assert.deepEqual([await q.get(), await q.get()], [1, 2]);
    assert.equal(await t, true);
  });

  test('test_nonblocking_get/put and their exceptions: QueueEmpty, QueueFull', () => {
    const q = new Queue<number>(1);
    assert.throws(() => q.getNowait(), QueueEmpty);
    q.putNowait(1);
    assert.throws(() => q.putNowait(2), QueueFull);
    assert.equal(q.getNowait(), 1);
  });

  test('test_blocking_get_wait and test_put_with_waiting_getters: a waiting get receives the next put', async () => {
    const q = new Queue<string>();
    const getter = createTask(() => q.get());
    await macrotasks(1);
    assert.equal(getter.done(), false);
    await q.put('a');
    assert.equal(await getter, 'a');
  });

  test('test_get_cancelled_race: a cancelled getter does not take the next item', async () => {
    const q = new Queue<string>();
    const t1 = createTask(() => q.get());
    const t2 = createTask(() => q.get());
    await macrotasks(1);
    t1.cancel();
    await macrotasks(1);
    assert.equal(t1.done(), true);
    await q.put('a');
    assert.equal(await t2, 'a');
  });

  test('test_get_with_waiting_putters: items from waiting putters come out in put order', async () => {
    const q = new Queue<string>(1);
    createTask(() => q.put('a'));
    createTask(() => q.put('b'));
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
  });

  test('test_why_are_getters_waiting: one producer, one consumer, maxsize 1', async () => {
    const q = new Queue<number>(1);
    const got: number[] = [];
    await TaskGroup.run((group) => {
      group.createTask(async () => {
        for (let i = 0; i < 5; i++) await q.put(i);
      });
      group.createTask(async () => {
        for (let i = 0; i < 5; i++) got.push(await q.get());
      });
    });
    assert.deepEqual(got, [0, 1, 2, 3, 4]);
  });

  test('test_cancelled_getters_not_being_held_in_self_getters: a timed-out get leaves no waiter and no listener', async () => {
    const q = new Queue<number>(5);
    const controller = new AbortController();
    await assert.rejects(waitFor((signal) => q.get({ signal }), 10), TimeoutError);
    const waiting = q.get({ signal: controller.signal });
    assert.equal(abortListeners(controller.signal), 1);
    controller.abort();
    await rejection(waiting);
    assert.equal(abortListeners(controller.signal), 0);
    q.putNowait(1); // no stale getter swallows it
    assert.equal(q.getNowait(), 1);
  });

  test('test_get_cancel_drop_one_pending_reader: a reader cancelled after its item was put loses nothing', async () => {
    const q = new Queue<number>();
    let reader = createTask(() => q.get());
    await macrotasks(1);
    q.putNowait(1);
    q.putNowait(2);
    reader.cancel();
    try {
      await reader;
    } catch {
      reader = createTask(() => q.get());
      await reader;
    }
    assert.equal(reader.result(), 1, 'if we get 2, 1 was dropped');
  });

  test('test_get_cancel_drop_many_pending_readers: the cancelled reader item goes to another reader', async () => {
    const q = new Queue<number>();
    const readers = [0, 1, 2].map(() => createTask(() => q.get()));
    await macrotasks(1);
    q.putNowait(1);
    q.putNowait(2);
    readers[0].cancel();
    assert.ok((await rejection(readers[0])) instanceof CancelledError);
    assert.deepEqual(new Set(await gather(readers[1], readers[2])), new Set([1, 2]));
  });

  test('test_put_cancel_drop: a writer cancelled after room was made puts nothing; the retry does', async () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    let writer = createTask(() => q.put(2));
    await macrotasks(1);
    assert.equal(q.getNowait(), 1);
    writer.cancel();
    try {
      await writer;
    } catch {
      writer = createTask(() => q.put(2));
      await writer;
    }
    assert.equal(q.getNowait(), 2);
    assert.equal(q.size, 0);
  });

  test('test_put_cancelled_race: a cancelled putter is skipped; the others put in order', async () => {
    const q = new Queue<string>(1);
    const putA = createTask(() => q.put('a'));
    const putB = createTask(() => q.put('b'));
    const putC = createTask(() => q.put('X'));
    await macrotasks(1);
    assert.equal(putA.done(), true);
    assert.equal(putB.done(), false);
    putC.cancel();
    await macrotasks(1);
    assert.equal(putC.done(), true);
    assert.equal(q.getNowait(), 'a');
    await macrotasks(1);
    assert.equal(q.getNowait(), 'b');
    await putB;
    assert.equal(q.size, 0);
  });

  test('test_why_are_putters_waiting and test_cancelled_puts_not_being_held_in_self_putters', async () => {
    const q = new Queue<number>(2);
    await TaskGroup.run((group) => {
      group.createTask(async () => {
        await macrotasks(1);
        const n = q.size;
        for (let i = 0; i < n; i++) q.getNowait();
      });
      for (const i of [0, 1, 2, 3]) group.createTask(() => q.put(i));
    });
    const full = new Queue<number>(1);
    full.putNowait(1);
    const putTask = createTask(() => full.put(1));
    await macrotasks(1);
    putTask.cancel();
    assert.ok((await rejection(putTask)) instanceof CancelledError);
    assert.equal(full.getNowait(), 1);
    assert.throws(() => full.getNowait(), QueueEmpty); // the cancelled put did not put
  });
});

describe('LifoQueue and PriorityQueue (test_order)', () => {
  test('LifoQueue gives the newest first', async () => {
    const q = new LifoQueue<number>();
    for (const i of [1, 3, 2]) await q.put(i);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], [2, 3, 1]);
  });

  test('PriorityQueue gives the smallest first; tuples compare element by element; ties keep arrival order', async () => {
    const q = new PriorityQueue<number>();
    for (const i of [1, 3, 2]) await q.put(i);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], [1, 2, 3]);
    const jobs = new PriorityQueue<[number, string]>();
    for (const job of [[2, 'b'], [1, 'z'], [2, 'a'], [1, 'y']] as [number, string][]) jobs.putNowait(job);
    assert.deepEqual([jobs.getNowait(), jobs.getNowait(), jobs.getNowait(), jobs.getNowait()], [[1, 'y'], [1, 'z'], [2, 'a'], [2, 'b']]);
    const byLength = new PriorityQueue<string>(0, { compare: (a, b) => a.length - b.length });
    for (const word of ['ccc', 'a', 'bb', 'd']) byLength.putNowait(word);
    assert.deepEqual([1, 2, 3, 4].map(() => byLength.getNowait()), ['a', 'd', 'bb', 'ccc']);
  });
});

for (const [name, make] of [
  ['Queue', (maxsize?: number) => new Queue<number | string>(maxsize)],
  ['LifoQueue', (maxsize?: number) => new LifoQueue<number | string>(maxsize)],
  ['PriorityQueue', (maxsize?: number) => new PriorityQueue<number | string>(maxsize)],
] as const) {
  describe(`${name}: join and shutdown (test_queues.py _QueueJoinTestMixin, _QueueShutdownTestMixin)`, () => {
    test('test_task_done_underflow and test_join_empty_queue', async () => {
      const q = make();
      assert.throws(() => q.taskDone(), RangeError);
      await q.join();
      await q.join();
    });

    test('test_task_done: two workers, join() resolves once every item is marked done', async () => {
      const q = make();
      for (let i = 0; i < 100; i++) q.putNowait(i);
      let sum = 0;
      const workers = [0, 1].map(() => createTask(async () => {
        for await (const item of q) {
          sum += item as number;
          q.taskDone();
        }
      }));
      await q.join();
      assert.equal(sum, 4950);
      q.shutdown();
      await gather(workers);
    });

    test('test_shutdown_empty: a waiting get fails, put and get fail, join resolves', async () => {
      const q = make();
      const getTask = createTask(() => q.get());
      await macrotasks(1);
      q.shutdown();
      assert.equal(q.size, 0);
      await q.join();
      assert.ok((await rejection(getTask)) instanceof QueueShutDown);
      await assert.rejects(q.put('data'), QueueShutDown);
      assert.throws(() => q.putNowait('data'), QueueShutDown);
      await assert.rejects(q.get(), QueueShutDown);
      assert.throws(() => q.getNowait(), QueueShutDown);
    });

    test('test_shutdown_nonempty: a waiting put fails; the item left can still be got; join waits for its taskDone', async () => {
      const q = make(1);
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      const putTask = createTask(() => q.put('data2'));
      await macrotasks(1);
      assert.equal(putTask.done(), false);
      q.shutdown();
      assert.equal(q.size, 1);
      assert.ok((await rejection(putTask)) instanceof QueueShutDown);
      assert.equal(await q.get(), 'data');
      await macrotasks(1);
      assert.equal(joinTask.done(), false);
      await assert.rejects(q.put('data'), QueueShutDown);
      await assert.rejects(q.get(), QueueShutDown);
      q.taskDone();
      await joinTask;
      assert.throws(() => q.taskDone(), RangeError);
    });

    test('test_shutdown_immediate: items are dropped and count as done', async () => {
      const q = make();
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      q.shutdown(true);
      assert.equal(q.size, 0);
      await joinTask;
      await assert.rejects(q.get(), QueueShutDown);
      assert.throws(() => q.taskDone(), RangeError);
    });

    test('test_shutdown_immediate_with_unfinished: an item already got still needs its taskDone', async () => {
      const q = make();
      q.putNowait('data');
      q.putNowait('data');
      const joinTask = createTask(() => q.join());
      assert.equal(await q.get(), 'data');
      q.shutdown(true);
      assert.equal(q.size, 0);
      await macrotasks(1);
      assert.equal(joinTask.done(), false);
      q.taskDone();
      assert.throws(() => q.taskDone(), RangeError);
      await joinTask;
    });
  });
}

describe('Queue: what we add', () => {
  test('for await ends at shutdown after the items left; put/get/join honour an aborted signal and leave no listener', async () => {
    const q = new Queue<number>(1);
    q.putNowait(1);
    q.shutdown();
    const seen: number[] = [];
    for await (const item of q) seen.push(item);
    assert.deepEqual(seen, [1]);
    const open = new Queue<number>(1);
    open.putNowait(0);
    const controller = new AbortController();
    const calls = [open.put(1, { signal: controller.signal }), open.join({ signal: controller.signal }), new Queue<number>().get({ signal: controller.signal })];
    assert.equal(abortListeners(controller.signal), 3);
    controller.abort('stop');
    for (const call of calls) assert.ok((await rejection(call)) instanceof CancelledError);
    assert.equal(abortListeners(controller.signal), 0);
    await assert.rejects(open.get({ signal: controller.signal }), CancelledError);
    assert.equal(open.size, 1);
  });

  test('an immediate shutdown fails a getter that was woken but had not resumed', async () => {
    const q = new Queue<number>();
    const getter = q.get();
    q.putNowait(7); // picks the getter...
    q.shutdown(true); // ...and the item is dropped before it resumed
    assert.ok((await rejection(getter)) instanceof QueueShutDown);
  });
});
