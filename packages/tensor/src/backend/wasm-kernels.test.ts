import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { initBackend } from './backend.js';

beforeAll(async () => {
  // initBackend registers the missing wasm kernels itself.
  await initBackend({ backend: 'wasm' });
});

describe('wasm kernels for training', () => {
  it('unsortedSegmentSum adds rows into their segments and drops out-of-range ids', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 3);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.dataSync())).toEqual([3, 4, 0, 0, 6, 8]);
    tf.dispose([x, ids, out]);
  });

  it('the gradient of an embedding lookup (tf.gather) works on wasm', () => {
    const table = tf.variable(tf.zeros([4, 2]));
    const ids = tf.tensor1d([1, 3, 1], 'int32');
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), tf.tensor2d([[1, 2], [3, 4], [5, 6]]))) as tf.Scalar, [table]);
    expect(Array.from(grads[table.name]!.dataSync())).toEqual([0, 0, 6, 8, 0, 0, 3, 4]);
    tf.dispose([table, ids, value, ...Object.values(grads)]);
  });
});
