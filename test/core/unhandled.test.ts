// No unhandled rejections, ever: every failure path runs with an `unhandledRejection` spy installed,
// then a few macrotasks pass (Node reports unhandled rejections after the microtask queue drains).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TaskGroup,
  asCompleted,
  createTask,
  gather,
  map,
  sleep,
  timeout,
  waitFor,
} from '../../src/core/index.js';
import { delay, macrotasks, settle, spyUnhandled } from './_helpers.js';

let spy: ReturnType<typeof spyUnhandled>;
before(() => {
  spy = spyUnhandled();
});
after(() => {
  spy.stop();
});

const failSoon = (message: string, ms = 1) => async (): Promise<never> => {
  await sleep(ms);
  throw new Error(message);
};

/** Runs `scenario`, waits for stragglers to fail too, and asserts nothing went unhandled. */
async function noUnhandled(scenario: () => Promise<unknown>): Promise<void> {
  await scenario();
  await delay(30);
  await macrotasks(5);
  assert.deepEqual(spy.seen.map(String), []);
}

test('default-mode gather with several failures: the later ones are observed', async () => {
  await noUnhandled(async () => {
    await settle(gather(failSoon('a', 1), failSoon('b', 5), failSoon('c', 10), Promise.reject(new Error('d'))));
    await settle(gather([Promise.reject(new Error('e')), Promise.reject(new Error('f'))])); // promises only
    const late = Promise.reject(new Error('g'));
    await settle(gather([failSoon('h'), late, sleep(5).then(() => Promise.reject(new Error('i')))]));
  });
});

test('cancelOnError and returnExceptions', async () => {
  await noUnhandled(async () => {
    await settle(gather([failSoon('a'), failSoon('b', 3), () => sleep(1_000)], { cancelOnError: true }));
    await settle(gather([failSoon('c'), Promise.reject('d'), () => Promise.reject(new Error('e'))], { returnExceptions: true }));
  });
});

test('a cancelled gather whose children fail while it stops', async () => {
  const children = (): unknown[] => [
    async (signal: AbortSignal) => {
      await sleep(1_000, undefined, { signal }).catch(() => undefined);
      throw new Error('fails while cleaning up');
    },
    sleep(3).then(() => Promise.reject(new Error('rejected promise input'))),
    createTask(failSoon('task child', 10)),
  ];
  await noUnhandled(async () => {
    for (const returnExceptions of [false, true]) {
      const run = gather(children(), { returnExceptions });
      await sleep(1);
      run.cancel();
      await settle(run);
    }
    const promisesOnly = gather([sleep(3).then(() => Promise.reject(new Error('p')))]);
    promisesOnly.cancel();
    await settle(promisesOnly);
    // an already aborted signal: the gather never runs, its inputs are still observed
    await settle(gather([Promise.reject(new Error('never looked at')), failSoon('x')], { signal: AbortSignal.abort() }));
  });
});

test('invalid input with rejected promises in it', async () => {
  await noUnhandled(async () => {
    assert.throws(() => gather(Promise.reject(new Error('a')), undefined));
    assert.throws(() => gather([Promise.reject(new Error('b'))], { limit: 0 }));
    assert.throws(() => gather([Promise.reject(new Error('c'))], { signal: 'x' as never }));
    assert.throws(() => asCompleted([Promise.reject(new Error('d')), undefined]));
    assert.throws(() => asCompleted([Promise.reject(new Error('e'))], { timeout: -1 }));
    assert.throws(() => waitFor(Promise.reject(new Error('f')), -1));
    assert.throws(() => waitFor(Promise.reject(new Error('g')), 10, { bad: true } as never));
  });
});

test('map failures: fn, source, streamed, several at once', async () => {
  await noUnhandled(async () => {
    await settle(map([1, 2, 3, 4], (n) => (n % 2 === 0 ? Promise.reject(new Error(`item ${n}`)) : sleep(5))));
    await settle(map([1, 2, 3], async (n) => {
      await sleep(n);
      throw new Error(`item ${n}`);
    }, { concurrency: 3 }));
    function* broken(): Generator<number> {
      yield 1;
      throw new Error('source');
    }
    await settle(map(broken(), (n) => n));
    await settle((async () => {
      for await (const _ of map([1, 2, 3], () => Promise.reject(new Error('streamed'))));
    })());
    for await (const _ of map([1, 2, 3], (n) => (n === 1 ? n : Promise.reject(new Error('after break'))))) break;
    const idle = map([1], () => Promise.reject(new Error('never started')));
    idle.cancel();
  });
});

test('TaskGroup failures', async () => {
  await noUnhandled(async () => {
    await settle(TaskGroup.run(async (group) => {
      const a = group.createTask(failSoon('a'));
      group.createTask(failSoon('b', 2));
      group.createTask(async () => {
        await sleep(1_000).catch(() => undefined);
        throw new Error('fails after the cancel');
      });
      await a;
    }));
    await settle(TaskGroup.run(() => Promise.reject(new Error('body'))));
  });
});

test('asCompleted break and timeout with owned jobs that fail when cancelled', async () => {
  const failsWhenCancelled = async (signal: AbortSignal): Promise<never> => {
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
    throw new Error('failed on cancel');
  };
  await noUnhandled(async () => {
    for await (const _ of asCompleted([() => sleep(1, 'first'), failsWhenCancelled, failSoon('later', 5)])) break;
    await settle((async () => {
      for await (const _ of asCompleted([failsWhenCancelled, Promise.reject(new Error('passed in'))], { timeout: 5, returnExceptions: true }));
    })());
    await settle((async () => {
      for await (const _ of asCompleted([failSoon('a'), failSoon('b', 2), failsWhenCancelled]));
    })());
  });
});

test('waitFor and timeout expiring on work that then fails', async () => {
  await noUnhandled(async () => {
    await settle(waitFor(failSoon('promise fails later', 10)(), 2));
    await settle(waitFor(async (signal: AbortSignal) => {
      await sleep(1_000, undefined, { signal }).catch(() => undefined);
      throw new Error('fails on cancel');
    }, 2));
    await settle(timeout(2, async () => {
      await sleep(1_000).catch(() => undefined);
      throw new Error('fails on cancel');
    }));
  });
});

test('a Task that fails and is never awaited', async () => {
  await noUnhandled(async () => {
    createTask(failSoon('nobody listens'));
    createTask(() => {
      throw new Error('sync failure, nobody listens');
    });
    const cancelled = createTask(() => sleep(1_000));
    cancelled.cancel();
  });
});
