import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Deque } from '../../src/core/deque.js';

test('push and shift are first in, first out', () => {
  const deque = new Deque<string>();
  deque.push('a');
  deque.push('b');
  deque.push('c');
  assert.equal(deque.length, 3);
  assert.equal(deque.shift(), 'a');
  assert.equal(deque.shift(), 'b');
  assert.equal(deque.shift(), 'c');
  assert.equal(deque.length, 0);
});

test('shift on an empty deque returns undefined and keeps the length at 0', () => {
  const deque = new Deque<number>();
  assert.equal(deque.shift(), undefined);
  assert.equal(deque.length, 0);
  deque.push(1);
  deque.shift();
  assert.equal(deque.shift(), undefined);
  assert.equal(deque.length, 0);
});

test('it grows past its initial capacity while wrapped around, keeping the order', () => {
  const deque = new Deque<number>();
  for (let i = 0; i < 10; i++) deque.push(i);
  for (let i = 0; i < 8; i++) assert.equal(deque.shift(), i); // head is now in the middle of the ring
  for (let i = 10; i < 100; i++) deque.push(i); // grows several times from a wrapped state
  assert.equal(deque.length, 92);
  for (let i = 8; i < 100; i++) assert.equal(deque.shift(), i);
  assert.equal(deque.length, 0);
});

test('falsy items (0, null, empty string) come back as they went in', () => {
  const deque = new Deque<unknown>();
  for (const item of [0, null, '', false]) deque.push(item);
  assert.deepEqual([deque.shift(), deque.shift(), deque.shift(), deque.shift()], [0, null, '', false]);
});

test('any sequence of pushes and shifts behaves like an array queue', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer(), fc.constant<'shift'>('shift')), { maxLength: 500 }), (operations) => {
      const deque = new Deque<number>();
      const model: number[] = [];
      for (const operation of operations) {
        if (operation === 'shift') assert.equal(deque.shift(), model.shift());
        else {
          deque.push(operation);
          model.push(operation);
        }
        assert.equal(deque.length, model.length);
      }
      while (model.length > 0) assert.equal(deque.shift(), model.shift());
    }),
    { numRuns: 200 },
  );
});
