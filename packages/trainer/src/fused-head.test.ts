import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import { type Dataset, inMemoryDataset, initBackend, LanguageModelDataset } from '@gated/tensor';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type FitOptions, fit } from './fit.js';
import type { TrainableModel } from './model.js';
import { patternTokens, signExamples } from './test-utils/data.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

// fit runs a model's head and softmax cross-entropy as one op (linearCrossEntropy of @gated/cells) when the model
// has forwardFeatures and head. The same model seen only through forward and parameters takes the ordinary path:
// logits, then computeLoss. Stated tolerance: step losses, gradient norms and weights after the run within 1e-5
// (+1e-5 relative) — the two paths round differently, nothing more.
const TOL = 1e-5;
const quiet = { progress: 'none' } as const;

// The same model without forwardFeatures/head: fit cannot fuse it.
const unfused = (m: SequenceModel): TrainableModel => ({
  forward: (x, o) => m.forward(x, o as never),
  parameters: () => m.parameters(),
  config: m.config,
  getRngState: () => m.getRngState(),
  setRngState: (s) => m.setRngState(s),
});

function expectClose(name: string, actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length, name).toBe(expected.length);
  for (const [i, e] of expected.entries()) {
    expect(Math.abs((actual[i] ?? Number.NaN) - e), `${name}[${i}]: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(TOL * (1 + Math.abs(e)));
  }
}

async function both(options: SequenceModelOptions, data: () => Dataset, fitOptions: FitOptions): Promise<void> {
  const a = new SequenceModel(options);
  const b = new SequenceModel(options);
  const before = tf.memory().numTensors;
  const headCalls = vi.spyOn(a.head, 'forward');
  const fused = await fit(a, data(), { ...quiet, ...fitOptions });
  // the fused path never forms the logits: the head's own forward runs once, when fit probes the first batch
  expect(headCalls).toHaveBeenCalledTimes(1);
  const plain = await fit(unfused(b), data(), { ...quiet, ...fitOptions });
  expect(tf.memory().numTensors).toBe(before);
  expectClose('step losses', fused.steps.loss, plain.steps.loss);
  expectClose('gradient norms', fused.steps.gradNorm, plain.steps.gradNorm);
  expectClose('loss', [fused.loss], [plain.loss]);
  for (const [name, v] of Object.entries(a.parameters())) {
    const w = b.parameters()[name];
    if (w === undefined) throw new Error(`no ${name}`);
    expectClose(name, Array.from(v.dataSync()), Array.from(w.dataSync()));
  }
  for (const key of Object.keys(plain.history)) expectClose(`history.${key}`, fused.history[key] ?? [], plain.history[key] ?? []);
  a.dispose();
  b.dispose();
}

describe('fit with the fused head and loss', () => {
  it('trains an LSTM language model (Adam, clipping, accuracy) as the unfused path does', async () => {
    await both(
      { kind: 'lstm', vocabSize: 4, embeddingDim: 3, hiddenSize: 6, outputSize: 4, pooling: 'none', seed: 5 },
      () => new LanguageModelDataset(Int32Array.from(patternTokens(240)), { batchSize: 3, seqLen: 8 }),
      { epochs: 2, optimizer: 'adam', learningRate: 0.02, clipNorm: 0.5, metrics: ['accuracy', 'perplexity'] },
    );
  });

  it('trains a GRU classifier on ragged sequences (padding masked) as the unfused path does', async () => {
    await both(
      { kind: 'gru', inputSize: 2, hiddenSize: 5, outputSize: 2, pooling: 'last', seed: 6 },
      () => inMemoryDataset(signExamples(24, 3), { batchSize: 8, yDtype: 'int32' }),
      { epochs: 2, optimizer: 'adamw', learningRate: 0.01, clipNorm: 1, metrics: ['accuracy'] },
    );
  });

  // Regression: the head and the mse/mae loss as one op (linearRegressionLoss) for a sequence-level model.
  const regression = (outputs: number) => () =>
    inMemoryDataset(
      signExamples(24, 4).map((e) => {
        const xs = e.x as readonly (readonly number[])[];
        return { x: e.x, y: Array.from({ length: outputs }, (_, j) => xs.reduce((s, v) => s + (v[0] ?? 0) * (j + 1) - (v[1] ?? 0), 0) / 4) };
      }),
      { batchSize: 8 },
    );

  it('trains an LSTM forecaster (mse, several outputs, ragged) as the unfused path does', async () => {
    await both({ kind: 'lstm', inputSize: 2, hiddenSize: 5, outputSize: 3, pooling: 'last', seed: 7 }, regression(3), {
      epochs: 2,
      optimizer: 'adam',
      learningRate: 0.02,
      clipNorm: 0.5,
      loss: 'mse',
      metrics: ['rmse', 'mae'],
    });
  });

  it('trains a GRU regressor (mae, one output) as the unfused path does', async () => {
    await both({ kind: 'gru', inputSize: 2, hiddenSize: 4, outputSize: 1, pooling: 'last', seed: 8 }, regression(1), {
      epochs: 2,
      optimizer: 'sgd',
      learningRate: 0.05,
      loss: 'mae',
      metrics: ['mae'],
    });
  });
});

