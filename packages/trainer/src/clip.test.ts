import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { clipByGlobalNorm, clipByValue, clipCoefficient, globalNorm, globalNormValue } from './clip.js';
import { SGD } from './sgd.js';
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

  // Reference: the norm in float64 over the float32 values (numpy's np.linalg.norm of the concatenation); the one-pass
  // value sums squares in float64 and rounds once, so it is that norm rounded to float32, to the bit.
  it('globalNormValue is the float64 norm of all gradients rounded to float32, read in place or copied, no tensors made', async () => {
    const values = [Float32Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 3), Float32Array.from([1e-3, -2.5, 7]), Float32Array.from([4])];
    const exact = Math.fround(Math.sqrt(values.reduce((s, v) => s + v.reduce((t, x) => t + x * x, 0), 0)));
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend({ backend });
      const grads = values.map((v) => tf.tensor(v));
      const before = tf.memory().numTensors;
      expect(globalNormValue(grads), backend).toBe(exact);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(grads);
    }
    await initBackend({ backend: 'wasm' });
  });

  it('clipping by value clamps each element', () => {
    const g = { a: tf.tensor([-3, 0.5, 2]) };
    const clipped = clipByValue(g, 1);
    const a = present(clipped['a'], 'a');
    expect(Array.from(a.dataSync())).toEqual([-1, 0.5, 1]);
    tf.dispose([g.a, a]);
  });

  it('the coefficient computed from a read norm is the factor clipByGlobalNorm multiplies by, to the bit', () => {
    for (const [maxNorm, values] of [[1, [3, 0.25, -4]], [0.37, [1e-3, 2e-3]], [5, [30, -41, 7.5]], [1, [0.1, 0.2]]] as const) {
      const g = { a: tf.tensor(values) };
      const norm = globalNorm([g.a]);
      const n = norm.dataSync()[0] ?? Number.NaN;
      const clipped = clipByGlobalNorm(g, maxNorm, norm);
      const expected = Array.from(present(clipped['a'], 'a').dataSync());
      const c = clipCoefficient(maxNorm, n);
      expect(c).toBeLessThanOrEqual(1);
      // a float32 product g·c, as a kernel applying the coefficient forms it
      expect(values.map((v) => Math.fround(Math.fround(v) * c))).toEqual(expected);
      tf.dispose([g.a, norm, ...Object.values(clipped)]);
    }
  });

  it("an optimizer step with gradScale equals the step on the scaled gradients (native Adam, tfjs Adam, SGD)", () => {
    const before = tf.memory().numTensors;
    const scale = clipCoefficient(1, 7.3);
    const makers = [() => new Adam({ learningRate: 0.01 }), () => new Adam({ learningRate: 0.01, kernels: 'tfjs' }), () => new SGD({ learningRate: 0.1, momentum: 0.9 })];
    for (const make of makers) {
      const init = tf.tensor([[0.5, -1.25], [2, 0.125]]);
      const [p1, p2] = [tf.variable(init), tf.variable(init)];
      const [a, b] = [make(), make()];
      for (let step = 0; step < 3; step++) {
        const g = tf.tensor([[0.3 + step, -2.5], [1.75, 4 - step]]);
        const scaled = tf.tidy(() => tf.mul(g, tf.scalar(scale)));
        a.step({ w: p1 }, { w: g }, undefined, scale);
        b.step({ w: p2 }, { w: scaled });
        tf.dispose([g, scaled]);
      }
      expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
      a.dispose();
      b.dispose();
      tf.dispose([p1, p2, init]);
    }
    expect(() => new SGD({ learningRate: 0.1 }).step({}, {}, 0.1, Number.NaN)).toThrow(/gradScale/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
