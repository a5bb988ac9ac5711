import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { collate } from './collate.js';
import { ArgumentError } from '../check/errors.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('collate', () => {
  it('pads ragged feature sequences at the end and reports lengths', async () => {
    const before = tf.memory().numTensors;
    const batch = collate([{ x: [[1, 2], [3, 4], [5, 6]], y: 1 }, { x: [[7, 8]], y: 0 }], { yDtype: 'int32' });
    expect(batch.x.shape).toEqual([2, 3, 2]);
    expect(Array.from(await batch.x.data())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0]);
    expect(batch.y.dtype).toBe('int32');
    expect(Array.from(await batch.y.data())).toEqual([1, 0]);
    expect(Array.from(await batch.lengths!.data())).toEqual([3, 1]);
    expect(batch.mask).toBeUndefined();
    tf.dispose([batch.x, batch.y, batch.lengths!]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('omits lengths when every sequence has the same length', () => {
    const batch = collate([{ x: [[1], [2]], y: [0.5, 1] }, { x: [[3], [4]], y: [2, 3] }]);
    expect(batch.lengths).toBeUndefined();
    expect(batch.y.shape).toEqual([2, 2]);
    expect(batch.y.dtype).toBe('float32');
    tf.dispose([batch.x, batch.y]);
  });

  it('pads per-step token targets and masks the padding', async () => {
    const batch = collate(
      [
        { x: [5, 6, 7], y: [6, 7, 8] },
        { x: [9], y: [10] },
      ],
      { perStepTargets: true, yDtype: 'int32' },
    );
    expect(batch.x.dtype).toBe('int32');
    expect(batch.x.shape).toEqual([2, 3]);
    expect(Array.from(await batch.y.data())).toEqual([6, 7, 8, 10, 0, 0]);
    expect(Array.from(await batch.mask!.data())).toEqual([1, 1, 1, 1, 0, 0]);
    tf.dispose([batch.x, batch.y, batch.lengths!, batch.mask!]);
  });

  it('turns a flat float sequence into one feature per step', () => {
    const batch = collate([{ x: [0.1, 0.2], y: 1 }], { xDtype: 'float32' });
    expect(batch.x.shape).toEqual([1, 2, 1]);
    tf.dispose([batch.x, batch.y]);
  });

  it('rejects per-step targets of the wrong length, naming the example', () => {
    expect(() => collate([{ x: [1, 2], y: [1, 2] }, { x: [1, 2, 3], y: [1] }], { perStepTargets: true })).toThrow(/examples\[1\]\.y: expected 3 per-step/);
  });

  it('rejects rows with a different feature count and an empty sequence', () => {
    expect(() => collate([{ x: [[1, 2]], y: 0 }, { x: [[1]], y: 0 }])).toThrow(ArgumentError);
    expect(() => collate([{ x: [], y: 0 }])).toThrow(/examples\[0\]\.x: expected a sequence of at least one step/);
  });
});
