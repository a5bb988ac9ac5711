import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import { type Dataset, initBackend, LanguageModelDataset } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FitOptions, fit } from './fit.js';
import { patternTokens } from './test-utils/data.js';
import { first, last, series } from './test-utils/present.js';

const dirs: string[] = [];
beforeAll(async () => {
  // wasm: the gradient of Embedding's tf.gather runs on the UnsortedSegmentSum kernel fit registers for wasm.
  await initBackend({ backend: 'wasm' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const weights = (model: SequenceModel) => Object.fromEntries(Object.entries(model.parameters()).map(([k, v]) => [k, Array.from(v.dataSync())]));
const quiet = { progress: 'none' } as const;

describe('fit with @gated/cells SequenceModel language models', () => {
  it('a GRU language model trains statefully with truncated BPTT and its perplexity falls', async () => {
    const model = new SequenceModel({ kind: 'gru', vocabSize: 4, embeddingDim: 4, hiddenSize: 12, outputSize: 4, pooling: 'none', seed: 3 });
    const data = new LanguageModelDataset(Int32Array.from(patternTokens(480)), { batchSize: 4, seqLen: 12 });
    const before = tf.memory().numTensors;
    const result = await fit(model, data, { ...quiet, epochs: 6, optimizer: 'adam', learningRate: 0.05, stateful: true, tbptt: 6, metrics: ['perplexity'] });
    expect(tf.memory().numTensors).toBe(before);
    const ppl = series(result, 'perplexity');
    expect(last(ppl)).toBeLessThan(1.2);
    expect(last(ppl)).toBeLessThan(first(ppl));
    model.dispose();
  });

  it.each([
    ['without dropout', {}],
    ['with dropout and recurrent dropout (the dropout generator is checkpointed)', { numLayers: 2, dropout: 0.3, recurrentDropout: 0.2 }],
  ])('an LSTM language model resumed from a checkpoint after N steps matches 2N straight exactly, %s', async (_, extra) => {
    const options: SequenceModelOptions = { kind: 'lstm', vocabSize: 4, embeddingDim: 3, hiddenSize: 5, outputSize: 4, pooling: 'none', seed: 4, ...extra };
    const data = (): Dataset => new LanguageModelDataset(Int32Array.from(patternTokens(200)), { batchSize: 2, seqLen: 8 });
    const fitOptions: FitOptions = { ...quiet, optimizer: 'rmsprop', learningRate: 0.01, stateful: true, tbptt: 3, clipNorm: 1 };
    const straightModel = new SequenceModel(options);
    const straight = await fit(straightModel, data(), { ...fitOptions, steps: 16 });
    const dir = mkdtempSync(join(tmpdir(), 'gated-fit-cells-'));
    dirs.push(dir);
    const a = new SequenceModel(options);
    await fit(a, data(), { ...fitOptions, steps: 8, checkpointDir: dir });
    a.dispose();
    const b = new SequenceModel(options);
    const resumed = await fit(b, data(), { ...fitOptions, steps: 16, checkpointDir: dir, resume: true });
    expect(resumed.loss).toBe(straight.loss);
    expect(weights(b)).toEqual(weights(straightModel));
    straightModel.dispose();
    b.dispose();
  });
});
