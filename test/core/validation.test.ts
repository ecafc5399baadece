// Bad input to every public function: a TypeError (wrong type) or RangeError (right type, bad value)
// whose message names the option, the value received and its type.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BoundedSemaphore,
  Semaphore,
  TaskGroup,
  asCompleted,
  createTask,
  gather,
  map,
  sleep,
  timeout,
  waitFor,
} from '../../src/core/index.js';

type ErrorClass = typeof TypeError | typeof RangeError;

/** `call` throws (or rejects with) `kind` naming `name`, and showing `shown` and `type` when given. */
async function expectBad(call: () => unknown, kind: ErrorClass, name: string, shown?: string, type?: string): Promise<void> {
  let error: unknown;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof kind, `expected a ${kind.name}, got ${String(error)}`);
  assert.equal((error as Error).constructor, kind);
  const message = (error as Error).message;
  assert.ok(message.includes(`\`${name}\``), `"${message}" does not name \`${name}\``);
  if (shown !== undefined) assert.ok(message.includes(`\`${shown}\` (${type})`), `"${message}" does not show \`${shown}\` (${type})`);
}

/** The counts every concurrency-like option refuses: [value, error, shown, type]. */
const badCounts: [unknown, ErrorClass, string, string][] = [
  [0, RangeError, '0', 'number'],
  [-1, RangeError, '-1', 'number'],
  [1.5, RangeError, '1.5', 'number'],
  [Number.NaN, RangeError, 'NaN', 'number'],
  [Number.NEGATIVE_INFINITY, RangeError, '-Infinity', 'number'],
  ['5', TypeError, '"5"', 'string'],
  [null, TypeError, 'null', 'null'],
  [[2], TypeError, '[array]', 'array'],
];

const badSignals: [unknown, string, string][] = [
  [{}, '[object]', 'object'],
  ['signal', '"signal"', 'string'],
  [new AbortController(), '[object]', 'object'],
  [5, '5', 'number'],
];

const badMs: [unknown, ErrorClass, string, string][] = [
  [-1, RangeError, '-1', 'number'],
  [Number.NaN, RangeError, 'NaN', 'number'],
  ['100', TypeError, '"100"', 'string'],
  [{}, TypeError, '[object]', 'object'],
];

const noop = (): void => {};

describe('gather', () => {
  test('limit must be an integer from 1 and up or Infinity', async () => {
    for (const [value, kind, shown, type] of badCounts) {
      await expectBad(() => gather([noop], { limit: value as number }), kind, 'limit', shown, type);
    }
    assert.deepEqual(await gather([() => 1], { limit: Number.POSITIVE_INFINITY }), [1]);
  });

  test('returnExceptions and cancelOnError must be booleans', async () => {
    await expectBad(() => gather([noop], { returnExceptions: 'yes' as never }), TypeError, 'returnExceptions', '"yes"', 'string');
    await expectBad(() => gather([noop], { cancelOnError: 1 as never }), TypeError, 'cancelOnError', '1', 'number');
  });

  test('signal must be an AbortSignal', async () => {
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => gather([noop], { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
  });

  test('an unknown option key is refused and the known ones are listed', async () => {
    await expectBad(() => gather([noop], { returnException: true } as never), TypeError, 'returnException');
    assert.throws(() => gather([noop], { concurrency: 2 } as never), /Unknown option `concurrency` for gather\(\); known options: .*`limit`/);
  });

  test('undefined inputs are refused with their position', () => {
    assert.throws(() => gather(undefined), /argument 0 is undefined/);
    assert.throws(() => gather([undefined]), /inputs\[0\] is undefined/);
  });
});

describe('map', () => {
  test('input must be an iterable or async iterable', async () => {
    await expectBad(() => map(5 as never, noop), TypeError, 'input', '5', 'number');
    await expectBad(() => map(null as never, noop), TypeError, 'input', 'null', 'null');
    await expectBad(() => map({} as never, noop), TypeError, 'input', '[object]', 'object');
    await expectBad(() => map(undefined as never, noop), TypeError, 'input', 'undefined', 'undefined');
  });

  test('fn must be a function', async () => {
    await expectBad(() => map([1], 'double' as never), TypeError, 'fn', '"double"', 'string');
    await expectBad(() => map([1], undefined as never), TypeError, 'fn', 'undefined', 'undefined');
  });

  test('concurrency must be an integer from 1 and up or Infinity', async () => {
    for (const [value, kind, shown, type] of badCounts) {
      await expectBad(() => map([1], noop, { concurrency: value as number }), kind, 'concurrency', shown, type);
    }
  });

  test('returnExceptions, signal, unknown keys and the options object itself', async () => {
    await expectBad(() => map([1], noop, { returnExceptions: 'no' as never }), TypeError, 'returnExceptions', '"no"', 'string');
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => map([1], noop, { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => map([1], noop, { concurency: 2 } as never), TypeError, 'concurency');
    await expectBad(() => map([1], noop, { limit: 2 } as never), TypeError, 'limit');
    assert.throws(() => map([1], noop, 'fast' as never), { name: 'TypeError', message: /options of map\(\) to be an object, got `"fast"` \(string\)/ });
    assert.throws(() => map([1], noop, [] as never), { name: 'TypeError', message: /`\[array\]` \(array\)/ });
  });
});

describe('createTask and Task', () => {
  test('job must be a function', async () => {
    await expectBad(() => createTask(Promise.resolve(1) as never), TypeError, 'job', '[object]', 'object');
    await expectBad(() => createTask(undefined as never), TypeError, 'job', 'undefined', 'undefined');
  });

  test('name must be a string, signal an AbortSignal, no unknown keys', async () => {
    await expectBad(() => createTask(noop, { name: 5 as never }), TypeError, 'name', '5', 'number');
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => createTask(noop, { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => createTask(noop, { timeout: 5 } as never), TypeError, 'timeout');
  });
});

describe('sleep', () => {
  test('ms must be a number of milliseconds from 0 and up', async () => {
    for (const [value, kind, shown, type] of badMs) await expectBad(() => sleep(value as number), kind, 'ms', shown, type);
    await expectBad(() => sleep(undefined as never), TypeError, 'ms', 'undefined', 'undefined');
    await expectBad(() => sleep(null as never), TypeError, 'ms', 'null', 'null');
  });

  test('signal must be an AbortSignal and options have no unknown keys', async () => {
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => sleep(1, undefined, { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => sleep(1, undefined, { signl: 1 } as never), TypeError, 'signl');
  });
});

describe('Semaphore and BoundedSemaphore', () => {
  test('value must be an integer from 0 and up', async () => {
    const bad: [unknown, ErrorClass, string, string][] = [
      [-1, RangeError, '-1', 'number'],
      [1.5, RangeError, '1.5', 'number'],
      [Number.POSITIVE_INFINITY, RangeError, 'Infinity', 'number'],
      ['2', TypeError, '"2"', 'string'],
      [null, TypeError, 'null', 'null'],
    ];
    for (const [value, kind, shown, type] of bad) {
      await expectBad(() => new Semaphore(value as number), kind, 'value', shown, type);
      await expectBad(() => new BoundedSemaphore(value as number), kind, 'value', shown, type);
    }
    assert.equal(new Semaphore(0).value, 0);
  });

  test('acquire() and use() check their signal, keys and fn', async () => {
    const sem = new Semaphore(1);
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => sem.acquire({ signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => sem.acquire({ timeout: 5 } as never), TypeError, 'timeout');
    await expectBad(() => sem.use('work' as never), TypeError, 'fn', '"work"', 'string');
    assert.equal(sem.value, 1, 'a refused call takes no permit');
  });
});

describe('TaskGroup', () => {
  test('options, body and jobs are checked', async () => {
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => new TaskGroup({ signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => new TaskGroup({ limit: 2 } as never), TypeError, 'limit');
    await expectBad(() => TaskGroup.run('body' as never), TypeError, 'body', '"body"', 'string');
    let refused: unknown;
    await TaskGroup.run((group) => {
      try {
        group.createTask(42 as never);
      } catch (error) {
        refused = error;
      }
    });
    assert.ok(refused instanceof TypeError);
    assert.match(refused.message, /`job`.*`42` \(number\)/);
  });
});

describe('asCompleted', () => {
  test('inputs must be an iterable', async () => {
    await expectBad(() => asCompleted(5 as never), TypeError, 'inputs', '5', 'number');
    await expectBad(() => asCompleted(undefined as never), TypeError, 'inputs', 'undefined', 'undefined');
  });

  test('timeout, returnExceptions, signal and unknown keys', async () => {
    for (const [value, kind, shown, type] of badMs) {
      await expectBad(() => asCompleted([1], { timeout: value as number }), kind, 'timeout', shown, type);
    }
    await expectBad(() => asCompleted([1], { returnExceptions: 1 as never }), TypeError, 'returnExceptions', '1', 'number');
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => asCompleted([1], { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => asCompleted([1], { limit: 1 } as never), TypeError, 'limit');
  });
});

describe('waitFor and timeout', () => {
  test('ms must be a number of milliseconds from 0 and up, or null', async () => {
    for (const [value, kind, shown, type] of badMs) {
      await expectBad(() => waitFor(() => 1, value as number), kind, 'ms', shown, type);
      await expectBad(() => timeout(value as number, () => 1), kind, 'ms', shown, type);
    }
  });

  test('signal, unknown keys, the job of timeout() and the awaitable of waitFor()', async () => {
    for (const [value, shown, type] of badSignals) {
      await expectBad(() => waitFor(() => 1, 10, { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
      await expectBad(() => timeout(10, () => 1, { signal: value as AbortSignal }), TypeError, 'signal', shown, type);
    }
    await expectBad(() => waitFor(() => 1, 10, { ms: 5 } as never), TypeError, 'ms');
    await expectBad(() => timeout(10, () => 1, { retries: 5 } as never), TypeError, 'retries');
    await expectBad(() => timeout(10, 'job' as never), TypeError, 'job', '"job"', 'string');
    assert.throws(() => waitFor(undefined, 10), /got `undefined`.*forget to `return`/);
  });
});
