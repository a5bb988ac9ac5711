import { ArgumentError, Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SequenceModel } from './sequence-model.js';
import { maxAbsDiffTensors } from './test-utils/fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const B = 3;
const T = 5;
const lengths = [5, 2, 4];
const input = () => tf.tensor3d(new Rng(2).normalArray(B * T * 4), [B, T, 4]);

describe('SequenceModel', () => {
  it("pooling 'last' feeds the head PyTorch's h_n: forward direction at the last valid step, backward at step 0", () => {
    const before = tf.memory().numTensors;
    const model = new SequenceModel({ kind: 'lstm', inputSize: 4, hiddenSize: 6, numLayers: 2, bidirectional: true, outputSize: 3, pooling: 'last', seed: 1 });
    const x = input();
    const { output, state } = model.forward(x, { lengths });
    const rnn = model.rnn.forward(x, { lengths });
    const expected = tf.tidy(() => {
      const rows = lengths.map((len, b) => {
        const fwd = tf.reshape(tf.slice(rnn.output, [b, len - 1, 0], [1, 1, 6]), [1, 6]);
        const bwd = tf.reshape(tf.slice(rnn.output, [b, 0, 6], [1, 1, 6]), [1, 6]);
        return tf.concat([fwd, bwd], 1);
      });
      return model.head.forward(tf.concat(rows, 0));
    });
    expect(output.shape).toEqual([B, 3]);
    expect(maxAbsDiffTensors(output, expected)).toBeLessThan(1e-6);
    expect(state.hidden.shape).toEqual([4, B, 6]);
    expect(state.cell!.shape).toEqual([4, B, 6]);
    tf.dispose([x, output, state.hidden, state.cell!, rnn.output, rnn.hidden, rnn.cell!, expected]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("pooling 'mean' averages the valid steps only", () => {
    const model = new SequenceModel({ kind: 'gru', inputSize: 4, hiddenSize: 6, outputSize: 2, pooling: 'mean', seed: 1 });
    const x = input();
    const { output, state } = model.forward(x, { lengths: tf.tensor1d(lengths, 'int32') as tf.Tensor1D });
    const rnn = model.rnn.forward(x, { lengths });
    const expected = tf.tidy(() => {
      const rows = lengths.map((len, b) => tf.mean(tf.slice(rnn.output, [b, 0, 0], [1, len, 6]), 1));
      return model.head.forward(tf.concat(rows, 0));
    });
    expect(maxAbsDiffTensors(output, expected)).toBeLessThan(1e-6);
    tf.dispose([x, output, state.hidden, rnn.output, rnn.hidden, expected]);
    model.dispose();
  });

  it("pooling 'none' gives per-step logits [B, T, out] from token ids through the embedding", () => {
    const model = new SequenceModel({ kind: 'rnn', vocabSize: 11, embeddingDim: 4, hiddenSize: 6, outputSize: 11, pooling: 'none', seed: 1 });
    const ids = tf.tensor2d([[1, 2, 3, 4, 5], [10, 0, 0, 0, 0], [3, 3, 3, 3, 3]], [3, 5], 'int32');
    const { output, state } = model.forward(ids, { lengths });
    expect(output.shape).toEqual([3, 5, 11]);
    expect(Object.keys(model.parameters())[0]).toBe('embedding.weight');
    expect(model.config).toMatchObject({ vocabSize: 11, embeddingDim: 4, pooling: 'none', numLayers: 1 });
    expect(model.config.inputSize).toBe(4);
    const rebuilt = new SequenceModel(model.config);
    expect(Object.keys(rebuilt.parameters())).toEqual(Object.keys(model.parameters()));
    rebuilt.dispose();
    const floats = tf.zeros([3, 5]);
    expect(() => model.forward(floats)).toThrow(ArgumentError);
    const bad = tf.tensor2d([[11, 0]], [1, 2], 'int32');
    expect(() => model.forward(bad)).toThrow(/ids\[0\]/);
    tf.dispose([ids, output, state.hidden, floats, bad]);
    model.dispose();
  });

  it('needs inputSize or vocabSize, and no conflicting pair', () => {
    expect(() => new SequenceModel({ kind: 'gru', hiddenSize: 4, outputSize: 2, pooling: 'last' })).toThrow(ArgumentError);
    expect(() => new SequenceModel({ kind: 'gru', inputSize: 3, vocabSize: 9, hiddenSize: 4, outputSize: 2, pooling: 'last' })).toThrow(ArgumentError);
    const float = new SequenceModel({ kind: 'gru', inputSize: 3, hiddenSize: 4, outputSize: 2, pooling: 'last' });
    expect(float.config.vocabSize).toBeUndefined();
    expect(float.embedding).toBeUndefined();
    float.dispose();
  });

  it('is reproducible from its seed and round-trips its state dict', () => {
    const opts = { kind: 'lstm', inputSize: 4, hiddenSize: 5, outputSize: 2, pooling: 'last', seed: 7 } as const;
    const a = new SequenceModel(opts);
    const b = new SequenceModel(opts);
    const c = new SequenceModel({ ...opts, seed: 8 });
    const fromConfig = new SequenceModel(a.config);
    expect(fromConfig.config).toEqual(a.config);
    expect(maxAbsDiffTensors(fromConfig.parameters()['head.weight']!, a.parameters()['head.weight']!)).toBe(0);
    fromConfig.dispose();
    const pa = a.parameters();
    const pb = b.parameters();
    for (const k of Object.keys(pa)) expect(maxAbsDiffTensors(pa[k]!, pb[k]!)).toBe(0);
    expect(maxAbsDiffTensors(pa['rnn.weight_ih_l0']!, c.parameters()['rnn.weight_ih_l0']!)).toBeGreaterThan(0);
    const sd = a.torchStateDict();
    c.loadTorchStateDict(sd);
    expect(maxAbsDiffTensors(c.parameters()['head.weight']!, pa['head.weight']!)).toBe(0);
    tf.dispose(Object.values(sd));
    for (const m of [a, b, c]) m.dispose();
  });

  it.each(['none', 'last', 'mean'] as const)("forwardFeatures with pooling '%s' is forward without its head", (pooling) => {
    const model = new SequenceModel({ kind: 'lstm', inputSize: 4, hiddenSize: 6, outputSize: 3, pooling, seed: 4 });
    const x = input();
    const before = tf.memory().numTensors;
    const { output, state } = model.forward(x, { lengths });
    const f = model.forwardFeatures(x, { lengths });
    const viaHead = model.head.forward(f.features);
    expect(maxAbsDiffTensors(viaHead, output)).toBe(0);
    expect(maxAbsDiffTensors(f.state.hidden, state.hidden)).toBe(0);
    tf.dispose([output, viaHead, f.features, ...Object.values(state), ...Object.values(f.state)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});
