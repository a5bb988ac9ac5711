import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { constant, glorotUniform, normal, ones, orthogonal, recurrentUniform, uniform, withForgetBias, zeros } from './initializers.js';
import { Rng } from './rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const values = (t: tf.Tensor): Float32Array => {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
};

describe('initializers', () => {
  it('fill zeros, ones and constants with the requested shape', () => {
    const z = zeros()([2, 3], new Rng(0));
    expect(z.shape).toEqual([2, 3]);
    expect([...values(z)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...values(ones()([2], new Rng(0)))]).toEqual([1, 1]);
    expect([...values(constant(0.25)([3], new Rng(0)))]).toEqual([0.25, 0.25, 0.25]);
  });

  it('draw uniform within bounds, reproducibly from the seed', () => {
    const a = values(uniform(-0.5, 0.5)([1000], new Rng(1)));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-0.5);
    expect(Math.max(...a)).toBeLessThan(0.5);
    expect(values(uniform(-0.5, 0.5)([1000], new Rng(1)))).toEqual(a);
  });

  it('use PyTorch’s recurrent default U(−1/√H, 1/√H)', () => {
    const w = values(recurrentUniform(64)([256, 64], new Rng(2)));
    const k = 1 / 8;
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(k);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * k);
  });

  it('draw Glorot uniform within ±√(6/(fanIn+fanOut)) and normal with the right spread', () => {
    const w = values(glorotUniform()([100, 50], new Rng(3)));
    const a = Math.sqrt(6 / 150);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * a);
    const n = values(normal(0, 0.1)([20000], new Rng(4)));
    const std = Math.sqrt(n.reduce((s, x) => s + x * x, 0) / n.length);
    expect(std).toBeCloseTo(0.1, 2);
  });

  it('make orthogonal matrices (QᵀQ = I) for tall and wide shapes', () => {
    for (const shape of [
      [8, 5],
      [5, 8],
    ] as const) {
      const q = orthogonal()(shape, new Rng(5));
      const small = Math.min(...shape);
      const gram = shape[0] >= shape[1] ? tf.matMul(q, q, true, false) : tf.matMul(q, q, false, true);
      const diff = tf.max(tf.abs(tf.sub(gram, tf.eye(small)))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-5);
      tf.dispose([q, gram]);
    }
    expect(() => orthogonal()([2, 2, 2], new Rng(0))).toThrow(/rank-2/);
  });

  it('set the forget-gate quarter of an LSTM bias (PyTorch i,f,g,o order)', () => {
    const bias = withForgetBias(new Float32Array(8), 2, 1);
    expect([...bias]).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(() => withForgetBias(new Float32Array(6), 2, 1)).toThrow(/bias: expected length 4·hiddenSize = 8, got 6/);
  });
});
