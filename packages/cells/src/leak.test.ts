import { Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeAvailable } from './native/index.js';
import { SequenceModel } from './sequence-model.js';
import type { Implementation } from './implementation.js';
import type { RecurrentKind } from './recurrent-vocabulary.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('memory', () => {
  it.each([
    ...(['lstm', 'gru', 'rnn'] as RecurrentKind[]).flatMap((kind) => ([...(nativeAvailable() ? ['native'] : []), 'fused', 'sequence'] as Implementation[]).map((impl) => [kind, impl] as const)),
    // The step loop tapes every op, so one kind (the one with the most ops) keeps the suite fast.
    ['lstm', 'step'] as const,
  ])(
    'tf.memory().numTensors stays flat over 100 Adam training steps of a %s SequenceModel (%s) with lengths and dropout',
    (kind, implementation) => {
      const rng = new Rng(1);
      const model = new SequenceModel({ kind, inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, dropout: 0.2, recurrentDropout: 0.1, outputSize: 2, pooling: 'mean', seed: 2, implementation, ...(kind === 'lstm' ? { projSize: 4, peepholes: true } : {}) });
      const x = tf.tensor3d(rng.normalArray(4 * 6 * 3), [4, 6, 3]);
      const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
      const lengths = [6, 4, 2, 5];
      const opt = tf.train.adam(0.01);
      const vars = Object.values(model.parameters());
      const step = () => {
        const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { lengths, training: true }).output) as tf.Scalar, true, vars);
        const v = loss!.dataSync()[0]!;
        loss!.dispose();
        return v;
      };
      const first = step(); // creates Adam's moment slots
      const counts: number[] = [];
      let last = first;
      for (let i = 0; i < 100; i++) {
        last = step();
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).toBe(1);
      expect(last).toBeLessThan(first); // the steps did train
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    },
  );

  it('tf.memory().numTensors stays flat over 100 Adam steps of a token language model (embedding, pooling none)', () => {
    const model = new SequenceModel({ kind: 'lstm', vocabSize: 12, embeddingDim: 6, hiddenSize: 8, outputSize: 12, pooling: 'none', seed: 4 });
    const ids = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], [2, 5], 'int32');
    const next = tf.oneHot(tf.tensor2d([[2, 3, 4, 5, 6], [7, 8, 9, 10, 11]], [2, 5], 'int32'), 12);
    const target = tf.cast(next, 'float32');
    next.dispose();
    const opt = tf.train.adam(0.02);
    const vars = Object.values(model.parameters());
    const step = () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(target, model.forward(ids).output) as tf.Scalar, true, vars);
      const v = loss!.dataSync()[0]!;
      loss!.dispose();
      return v;
    };
    const first = step();
    const counts: number[] = [];
    let last = first;
    for (let i = 0; i < 100; i++) {
      last = step();
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    expect(last).toBeLessThan(first / 2);
    tf.dispose([ids, target]);
    opt.dispose();
    model.dispose();
  });
});
