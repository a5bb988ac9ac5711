import { ArgumentError, Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Embedding } from './embedding.js';
import { Linear } from './linear.js';
import { maxAbsDiffTensors } from './test-utils/fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Linear', () => {
  it('computes x·Wᵀ + b over the last axis, and its custom gradient equals tfjs autodiff of the same formula', () => {
    const before = tf.memory().numTensors;
    const lin = new Linear({ inFeatures: 5, outFeatures: 3, seed: 1 });
    const rng = new Rng(2);
    const x0 = tf.tensor3d(rng.normalArray(2 * 4 * 5), [2, 4, 5]);
    const x = tf.variable(x0);
    x0.dispose();
    const r = tf.tensor3d(rng.normalArray(2 * 4 * 3), [2, 4, 3]);
    const vars = [x, lin.weight, lin.bias!];
    const ours = tf.variableGrads(() => tf.sum(tf.mul(lin.forward(x), r)) as tf.Scalar, vars);
    const ref = tf.variableGrads(
      () => tf.tidy(() => tf.sum(tf.mul(tf.add(tf.reshape(tf.matMul(tf.reshape(x, [8, 5]), lin.weight, false, true), [2, 4, 3]), lin.bias!), r)) as tf.Scalar),
      vars,
    );
    expect(Math.abs(ours.value.dataSync()[0]! - ref.value.dataSync()[0]!)).toBeLessThan(1e-5);
    for (const v of vars) expect(maxAbsDiffTensors(ours.grads[v.name]!, ref.grads[v.name]!)).toBeLessThan(1e-5);
    expect(lin.countParams()).toBe(5 * 3 + 3);
    tf.dispose([x, r, ours.value, ref.value, ...Object.values(ours.grads), ...Object.values(ref.grads)]);
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('initialises like PyTorch, within ±1/√in, and rejects a wrong input width', () => {
    const lin = new Linear({ inFeatures: 16, outFeatures: 4, bias: false });
    const w = lin.weight.dataSync();
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(0.25);
    expect(lin.bias).toBeNull();
    expect(Object.keys(lin.parameters())).toEqual(['weight']);
    const x = tf.ones([2, 15]);
    expect(() => lin.forward(x)).toThrow(ArgumentError);
    x.dispose();
    lin.dispose();
  });
});

describe('Embedding', () => {
  it('looks up rows and sends gradients only to the rows used (on wasm, which lacks UnsortedSegmentSum)', () => {
    const before = tf.memory().numTensors;
    const emb = new Embedding({ numEmbeddings: 6, embeddingDim: 2, seed: 3 });
    const ids = tf.tensor2d([[1, 4], [4, 0]], [2, 2], 'int32');
    const out = emb.forward(ids);
    expect(out.shape).toEqual([2, 2, 2]);
    const table = emb.weight.arraySync() as number[][];
    expect((out.arraySync() as number[][][])[1]![0]).toEqual(table[4]);
    const { value, grads } = tf.variableGrads(() => tf.sum(emb.forward(ids)) as tf.Scalar, [emb.weight]);
    expect(grads[emb.weight.name]!.arraySync()).toEqual([[1, 1], [1, 1], [0, 0], [0, 0], [2, 2], [0, 0]]);
    tf.dispose([ids, out, value, ...Object.values(grads)]);
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
