import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { inMemoryDataset, initBackend, LanguageModelDataset } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam.js';
import { fit } from './fit.js';
import { patternTokens, signExamples } from './test-utils/data.js';
import { nativeAdamAvailable, nativeAdamStepArrays, wasmHeapViews } from '@gated/cells';
import { type AdamScalars, adamInPlace } from './adam-in-place.js';

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

  it('updates the moments in place and the parameter as the tfjs kernels do, and leaves shared data alone', () => {
    const make = () => tf.variable(tf.tidy(() => tf.tensor([[0.5, -1.25, 3], [2, 0.125, -0.75]])));
    const [a, b] = [make(), make()];
    const [inPlace, ops] = [new Adam({ learningRate: 0.01, weightDecay: 0.1 }), new Adam({ learningRate: 0.01, weightDecay: 0.1, kernels: 'tfjs' })];
    const before = tf.memory().numTensors;
    for (let step = 0; step < 4; step++) {
      const g = tf.tensor([[0.3 + step, -2.5, 1e-3], [1.75, 4 - step, -0.5]]);
      const moment = () => (inPlace as unknown as { getSlot(n: string, k: string): tf.Variable | undefined }).getSlot('w', 'exp_avg')?.dataId;
      const id = moment();
      const param = a.dataId;
      inPlace.step({ w: a }, { w: g }, 0.01, 0.5);
      // after the first step (slots made) the moments are written in place; the parameter gets new data (kernels
      // may cache what they read of a parameter by its data)
      if (step > 0) expect(moment()).toBe(id);
      expect(a.dataId).not.toBe(param);
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

  // Tolerance: weights within 1e-5 (+1e-5 relative) of the run on tfjs ops — the two paths round alike up to the
  // order of a few float32 operations. The fused recurrent kernels cache parameters by their data, so a parameter
  // updated without new data would be read stale and this comparison would fail.
  it('fit with the default Adam trains recurrent models as Adam on tfjs ops does', async () => {
    const cases = [
      { model: { kind: 'lstm', vocabSize: 4, embeddingDim: 3, hiddenSize: 6, outputSize: 4, pooling: 'none', seed: 5 } as const, data: () => new LanguageModelDataset(Int32Array.from(patternTokens(240)), { batchSize: 3, seqLen: 8 }) },
      { model: { kind: 'gru', inputSize: 2, hiddenSize: 5, outputSize: 2, pooling: 'last', seed: 6 } as const, data: () => inMemoryDataset(signExamples(24, 3), { batchSize: 8, yDtype: 'int32' }) },
    ];
    for (const c of cases) {
      const [a, b] = [new SequenceModel(c.model), new SequenceModel(c.model)];
      const options = { progress: 'none', epochs: 3, optimizer: 'adam', learningRate: 0.05, clipNorm: 0.5 } as const;
      await fit(a, c.data(), options);
      await fit(b, c.data(), { ...options, optimizerOptions: { kernels: 'tfjs' } });
      for (const [name, v] of Object.entries(a.parameters())) {
        const w = Array.from(b.parameters()[name]?.dataSync() ?? []);
        const got = Array.from(v.dataSync());
        expect(got.length, name).toBe(w.length);
        for (const [i, e] of w.entries()) expect(Math.abs((got[i] ?? Number.NaN) - e), `${name}[${i}]`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(e)));
      }
      a.dispose();
      b.dispose();
    }
  });

  // Exact: the native loop (four lanes at a time, then a scalar tail) and JavaScript's round every operation to
  // float32 in the same order, so `fit` gives the same bits wherever the addon loads or not.
  it.runIf(nativeAdamAvailable())('the native step over the same views gives the same bits as the JavaScript loop', () => {
    const n = 1030; // not a multiple of the vector width: the tail runs too
    const rng = (seed: number) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 1000 + i * 12.9898) * (i % 7 === 0 ? 1e-4 : 3)));
    const cases: AdamScalars[] = [
      { gradScale: 1, decay: 1, l2: 0, beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, negStepSize: -0.01, bc2Sqrt: 0.0316, epsilon: 1e-8 },
      { gradScale: 0.37, decay: 0.999, l2: 0.01, beta1: 0.8, oneMinusBeta1: 0.2, beta2: 0.99, oneMinusBeta2: 0.01, negStepSize: -0.003, bc2Sqrt: 0.5, epsilon: 1e-6 },
    ];
    const order = ['gradScale', 'decay', 'l2', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'negStepSize', 'bc2Sqrt', 'epsilon'] as const;
    for (const raw of cases) {
      const scalars = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Math.fround(v)])) as unknown as AdamScalars;
      const make = () => ({ p: rng(1), g: rng(2), m: rng(3).map(Math.abs), v: rng(4).map((x) => x * x), out: new Float32Array(n) });
      const [js, native] = [make(), make()];
      for (let step = 0; step < 3; step++) {
        adamInPlace([js], scalars);
        expect(nativeAdamStepArrays([native], order.map((k) => scalars[k]))).toBe(true);
        for (const k of ['m', 'v', 'out'] as const) expect(Buffer.from(native[k].buffer).equals(Buffer.from(js[k].buffer)), `${k} after step ${step + 1}`).toBe(true);
        js.p.set(js.out);
        native.p.set(native.out);
      }
    }
    expect(() => nativeAdamStepArrays([{ p: new Float32Array(4), g: new Float32Array(3), m: new Float32Array(4), v: new Float32Array(4), out: new Float32Array(4) }], order.map(() => 1))).toThrow(/g, m, v and out of 4 floats/);
  });
});
