import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import { initBackend, Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { importOnnx } from './import-onnx.js';
import { maxAbsDiff } from './test-utils/reference-rnn.js';
import { type Feed, type Runtime, runOrt } from './test-utils/ort.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function inputs(model: SequenceModel, B: number, T: number, seed: number): { x: tf.Tensor; feed: Feed } {
  const rng = new Rng(seed);
  if (model.config.vocabSize !== undefined) {
    const ids = Array.from({ length: B * T }, () => rng.int(model.config.vocabSize!));
    return { x: tf.tensor2d(ids, [B, T], 'int32'), feed: { type: 'int32', data: ids, dims: [B, T] } };
  }
  const data = rng.uniformArray(B * T * model.config.inputSize, -1, 1);
  return { x: tf.tensor3d(data, [B, T, model.config.inputSize]), feed: { type: 'float32', data, dims: [B, T, model.config.inputSize] } };
}

async function parity(model: SequenceModel, bytes: Uint8Array, B: number, T: number, lengths: number[] | undefined, runtime: Runtime = 'node'): Promise<number> {
  const { x, feed } = inputs(model, B, T, B * 31 + T);
  const ours = model.forward(x, lengths ? { lengths } : {});
  const feeds: Record<string, Feed> = { input: feed };
  if (lengths) feeds['lengths'] = { type: 'int32', data: lengths, dims: [B] };
  const out = await runOrt(runtime, bytes, feeds);
  expect(out['output']!.dims).toEqual(ours.output.shape);
  const logits = ours.output.dataSync();
  const probs = tf.tidy(() => tf.softmax(ours.output).dataSync());
  const err = Math.max(
    maxAbsDiff(out['output']!.data, logits),
    maxAbsDiff(out['probabilities']!.data, probs),
    maxAbsDiff(out['hidden']!.data, ours.state.hidden.dataSync()),
    ours.state.cell ? maxAbsDiff(out['cell']!.data, ours.state.cell.dataSync()) : 0,
  );
  tf.dispose([x, ours.output, ours.state.hidden, ...(ours.state.cell ? [ours.state.cell] : [])]);
  return err;
}

const CASES: [string, SequenceModelOptions][] = [
  ['token LSTM classifier, last pooling', { kind: 'lstm', vocabSize: 20, embeddingDim: 6, hiddenSize: 8, outputSize: 4, pooling: 'last', dropout: 0.3, seed: 1 }],
  ['bidirectional 2-layer GRU, last pooling', { kind: 'gru', inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, outputSize: 3, pooling: 'last', dropout: 0.2, seed: 2 }],
  ['bidirectional LSTM with projection and peepholes, mean pooling', { kind: 'lstm', inputSize: 4, hiddenSize: 7, projSize: 3, peepholes: true, bidirectional: true, outputSize: 2, pooling: 'mean', seed: 3 }],
  ['GRU (reset before) regressor, mean pooling', { kind: 'gru', inputSize: 3, hiddenSize: 5, resetAfter: false, outputSize: 1, pooling: 'mean', seed: 4 }],
  ['SimpleRNN, last pooling', { kind: 'rnn', inputSize: 3, hiddenSize: 5, outputSize: 2, pooling: 'last', seed: 5 }],
  ['2-layer LSTM language model, per-step outputs', { kind: 'lstm', vocabSize: 15, hiddenSize: 6, numLayers: 2, outputSize: 15, pooling: 'none', dropout: 0.5, seed: 6 }],
];

describe('onnxruntime runs exported SequenceModels like their tfjs forward (1e-5 max abs)', () => {
  for (const [name, o] of CASES) {
    it(`${name}: logits, softmax and state, two shapes, with and without lengths; dropout is left out`, async () => {
      const model = new SequenceModel(o);
      const before = tf.memory().numTensors;
      const plain = exportOnnx(model, { softmax: true });
      const withLengths = exportOnnx(model, { softmax: true, lengths: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(await parity(model, plain, 2, 7, undefined)).toBeLessThan(1e-5);
      expect(await parity(model, plain, 1, 2, undefined)).toBeLessThan(1e-5);
      expect(await parity(model, withLengths, 4, 6, [6, 1, 4, 3])).toBeLessThan(1e-5);
      expect(await parity(model, withLengths, 3, 5, [5, 2, 4], 'web')).toBeLessThan(1e-5);
      model.dispose();
    });
  }
});

it('an empty sequence (length 0) gives the same logits as SequenceModel with mean and last pooling', async () => {
  for (const pooling of ['mean', 'last'] as const) {
    const model = new SequenceModel({ kind: 'lstm', inputSize: 3, hiddenSize: 4, bidirectional: true, outputSize: 2, pooling, seed: 11 });
    expect(await parity(model, exportOnnx(model, { softmax: true, lengths: true }), 3, 4, [4, 0, 2])).toBeLessThan(1e-5);
    model.dispose();
  }
});

it('a language model exported with initialState carries state across chunks like model.forward', async () => {
  const model = new SequenceModel({ kind: 'lstm', vocabSize: 10, hiddenSize: 4, numLayers: 2, outputSize: 10, pooling: 'none', seed: 12 });
  const bytes = exportOnnx(model, { initialState: true });
  const { x, feed } = inputs(model, 2, 3, 5);
  const rng = new Rng(3);
  const hidden = tf.tensor3d(rng.uniformArray(16, -1, 1), [2, 2, 4]);
  const cell = tf.tensor3d(rng.uniformArray(16, -1, 1), [2, 2, 4]);
  const ours = model.forward(x, { initialState: { hidden, cell } });
  const out = await runOrt('node', bytes, {
    input: feed,
    initial_hidden: { type: 'float32', data: hidden.dataSync(), dims: [2, 2, 4] },
    initial_cell: { type: 'float32', data: cell.dataSync(), dims: [2, 2, 4] },
  });
  expect(maxAbsDiff(out['output']!.data, ours.output.dataSync())).toBeLessThan(1e-5);
  expect(maxAbsDiff(out['cell']!.data, ours.state.cell!.dataSync())).toBeLessThan(1e-5);
  tf.dispose([x, hidden, cell, ours.output, ours.state.hidden, ours.state.cell!]);
  model.dispose();
});

describe('SequenceModel export → import → export', () => {
  for (const [name, o] of CASES) {
    const exact = !o.projSize;
    it(`${name}: round-trips to ${exact ? 'identical bytes and the same logits' : 'the same logits within 1e-5'}`, () => {
      const model = new SequenceModel(o);
      const options = { lengths: true, preprocessing: { vocabulary: ['<pad>', 'a'], task: 'toy' } };
      const bytes = exportOnnx(model, options);
      const { model: back, preprocessing } = importOnnx(bytes);
      expect(back).toBeDefined();
      expect(preprocessing).toEqual(options.preprocessing);
      expect(back!.countParams()).toBe(model.countParams());
      if (exact) expect(exportOnnx(back!, options)).toEqual(bytes);
      const { x } = inputs(model, 2, 4, 9);
      const a = model.forward(x, { lengths: [4, 2] });
      const b = back!.forward(x, { lengths: [4, 2] });
      expect(maxAbsDiff(a.output.dataSync(), b.output.dataSync())).toBeLessThanOrEqual(exact ? 0 : 1e-5);
      tf.dispose([x, a.output, b.output, a.state.hidden, b.state.hidden, ...(a.state.cell ? [a.state.cell, b.state.cell!] : [])]);
      back!.dispose();
      model.dispose();
    });
  }
});
