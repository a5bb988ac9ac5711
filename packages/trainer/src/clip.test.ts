import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipByValue, globalNorm } from './clip.js';
import { present } from './test-utils/present.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('gradient clipping', () => {
  it('the global norm spans all gradients, and clipping scales them to maxNorm together', () => {
    const before = tf.memory().numTensors;
    const grads = { a: tf.tensor([3, 0]), b: tf.tensor([[4]]) };
    const norm = globalNorm(Object.values(grads));
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    const clipped = clipByGlobalNorm(grads, 1, norm);
    expect(Array.from(present(clipped['a'], 'a').dataSync())[0]).toBeCloseTo(0.6, 6);
    expect(Array.from(present(clipped['b'], 'b').dataSync())[0]).toBeCloseTo(0.8, 6);
    const untouched = clipByGlobalNorm(grads, 10, norm);
    expect(Array.from(present(untouched['a'], 'a').dataSync())).toEqual([3, 0]);
    tf.dispose([norm, ...Object.values(grads), ...Object.values(clipped), ...Object.values(untouched)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clipping by value clamps each element', () => {
    const g = { a: tf.tensor([-3, 0.5, 2]) };
    const clipped = clipByValue(g, 1);
    const a = present(clipped['a'], 'a');
    expect(Array.from(a.dataSync())).toEqual([-1, 0.5, 1]);
    tf.dispose([g.a, a]);
  });
});
