import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { tensorDataset } from './tensor-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('tensorDataset', () => {
  it('slices tensors along axis 0, shuffled per epoch, without leaking', async () => {
    const x = tf.tensor3d(Array.from({ length: 12 }, (_, i) => i), [6, 2, 1]);
    const y = tf.range(0, 6, 1, 'int32');
    const lengths = tf.tensor1d([2, 1, 2, 1, 2, 1], 'int32');
    const before = tf.memory().numTensors;
    const data = tensorDataset({ x, y, lengths }, { batchSize: 4, shuffle: true, seed: 3 });
    expect(data.size).toBe(2);
    const seen: number[] = [];
    for await (const batch of data) {
      const ys = Array.from(await batch.y.data());
      const xs = Array.from(await batch.x.data());
      const ls = Array.from(await batch.lengths!.data());
      ys.forEach((label, i) => {
        expect(xs[2 * i]).toBe(2 * label);
        expect(ls[i]).toBe(label % 2 === 0 ? 2 : 1);
      });
      seen.push(...ys);
      tf.dispose([batch.x, batch.y, batch.lengths!]);
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, lengths]);
  });

  it('rejects tensors whose first axes disagree', () => {
    const x = tf.zeros([4, 2, 1]);
    const y = tf.zeros([3]);
    expect(() => tensorDataset({ x, y }, { batchSize: 2 })).toThrow(/y: expected 4 rows along axis 0/);
    tf.dispose([x, y]);
  });
});
