import { SequenceModel } from '@gated/cells';
import { Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { addingBatch } from './adding-problem.js';
import type { PlaygroundTask } from './task.js';

/** The adding problem: 2 features per step in, the sum of the two marked values out of the last step (MSE). */
export const addingTask: PlaygroundTask = {
  featureSize: 2,
  createModel: (kind, s) => new SequenceModel({ kind, inputSize: 2, hiddenSize: s.hiddenSize, outputSize: 1, pooling: 'last', seed: s.seed }),
  batch: (rng, s) => {
    const b = addingBatch(rng, s.batchSize, s.seqLen);
    return { x: tf.tensor3d(b.x, [b.n, b.seqLen, 2]), y: tf.tensor2d(b.y, [b.n, 1]) };
  },
  loss: (output, y) => tf.mean(tf.square(tf.sub(output, y))) as tf.Scalar,
  probe: (s, count) => {
    const b = addingBatch(new Rng(s.seed).fork('probe'), count, s.seqLen);
    const labels = Array.from({ length: count }, (_, i) =>
      Array.from({ length: s.seqLen }, (_, t) => (b.x[(i * s.seqLen + t) * 2 + 1] === 1 ? `mark ${(b.x[(i * s.seqLen + t) * 2] ?? 0).toFixed(2)}` : '')),
    );
    return { x: { dtype: 'float32', shape: [count, s.seqLen, 2], values: b.x }, labels };
  },
};
