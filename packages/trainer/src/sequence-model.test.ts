import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { inMemoryDataset, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { signExamples } from './test-utils/data.js';
import { last, series } from './test-utils/present.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const quiet = { progress: 'none' } as const;

describe('fit with @gated/cells SequenceModel', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    it(`a ${kind.toUpperCase()} classifier (pooling last, ragged lengths) learns the task without leaking tensors`, async () => {
      const model = new SequenceModel({ kind, inputSize: 2, hiddenSize: 8, outputSize: 2, pooling: 'last', seed: 1 });
      const train = inMemoryDataset(signExamples(96, 1), { batchSize: 16, shuffle: true, seed: 2, yDtype: 'int32' });
      const val = inMemoryDataset(signExamples(64, 2), { batchSize: 32, yDtype: 'int32' });
      const before = tf.memory().numTensors;
      const result = await fit(model, train, { ...quiet, epochs: 6, validationData: val, optimizer: 'adam', learningRate: 0.03, clipNorm: 5, metrics: ['accuracy'] });
      expect(tf.memory().numTensors).toBe(before);
      expect(last(series(result, 'val_accuracy'))).toBeGreaterThan(0.8);
      model.dispose();
    });
  }


  it('a 2-layer LSTM with dropout and recurrent dropout trains with masks on and evaluates with them off', async () => {
    const model = new SequenceModel({ kind: 'lstm', inputSize: 2, hiddenSize: 6, numLayers: 2, dropout: 0.3, recurrentDropout: 0.2, outputSize: 2, pooling: 'last', seed: 2 });
    const data = inMemoryDataset(signExamples(32, 4), { batchSize: 8, yDtype: 'int32' });
    const before = tf.memory().numTensors;
    const result = await fit(model, data, { ...quiet, steps: 4, optimizer: 'adam', seed: 1, validationData: data });
    expect(result.step).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    // Validation runs without dropout, so it is the same number twice.
    const again = await evaluate(model, data);
    expect(again['loss']).toBe(series(result, 'val_loss')[0]);
    model.dispose();
  });
});
