import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { wasmHeapViews } from '@gated/cells';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Adam in place in the wasm heap', () => {
  it('views only data no other tensor shares, for writing', () => {
    const t = tf.tensor([1, 2, 3]);
    const shared = tf.variable(t); // shares t's data while t lives
    expect(wasmHeapViews([shared], [true])).toBeUndefined();
    expect(wasmHeapViews([shared], [false])?.[0]).toEqual(new Float32Array([1, 2, 3]));
    t.dispose();
    const view = wasmHeapViews([shared], [true])?.[0];
    expect(view).toEqual(new Float32Array([1, 2, 3]));
    expect(wasmHeapViews([tf.tensor([1], [1], 'int32')], [false])).toBeUndefined();
    shared.dispose();
  });

  it('updates the parameter and moments without new tensors, as the tfjs kernels do, and leaves shared data alone', () => {
    const make = () => tf.variable(tf.tidy(() => tf.tensor([[0.5, -1.25, 3], [2, 0.125, -0.75]])));
    const [a, b] = [make(), make()];
    const [inPlace, ops] = [new Adam({ learningRate: 0.01, weightDecay: 0.1 }), new Adam({ learningRate: 0.01, weightDecay: 0.1, kernels: 'tfjs' })];
    const before = tf.memory().numTensors;
    for (let step = 0; step < 4; step++) {
      const g = tf.tensor([[0.3 + step, -2.5, 1e-3], [1.75, 4 - step, -0.5]]);
      const id = a.dataId;
      inPlace.step({ w: a }, { w: g }, 0.01, 0.5);
      // after the first step (slots made) nothing is allocated: the same data, written in place
      if (step > 0) expect(a.dataId).toBe(id);
      ops.step({ w: b }, { w: g }, 0.01, 0.5);
      g.dispose();
    }
    const [x, y] = [a.dataSync(), b.dataSync()];
    for (let i = 0; i < x.length; i++) expect(Math.abs((x[i] ?? 0) - (y[i] ?? 0))).toBeLessThanOrEqual(1e-6 * Math.abs(y[i] ?? 0) + 1e-9);
    // a parameter whose data another tensor shares is not written in place (that tensor keeps its values)
    const keep = a.clone();
    const kept = Array.from(keep.dataSync());
    const g = tf.onesLike(a);
    inPlace.step({ w: a }, { w: g }, 0.01);
    expect(Array.from(keep.dataSync())).toEqual(kept);
    expect(Array.from(a.dataSync())).not.toEqual(kept);
    tf.dispose([keep, g]);
    inPlace.dispose();
    ops.dispose();
    // the slots were made on the first step; both optimizers freed theirs
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
