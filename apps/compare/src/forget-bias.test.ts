import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { initForgetBias } from './forget-bias.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const H = 3;
const values = (model: SequenceModel): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.parameters()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('initForgetBias', () => {
  it('makes b_if + b_hf equal the value in every layer and direction of an LSTM and leaves every other weight as initialised', () => {
    const model = new SequenceModel({ kind: 'lstm', inputSize: 2, hiddenSize: H, numLayers: 2, bidirectional: true, outputSize: 1, pooling: 'last', seed: 4 });
    const before = values(model);
    const tensors = tf.memory().numTensors;
    initForgetBias(model, 1);
    expect(tf.memory().numTensors).toBe(tensors);
    const after = values(model);
    const biases = Object.keys(after).filter((k) => k.startsWith('rnn.bias_ih_'));
    expect(biases).toEqual(['rnn.bias_ih_l0', 'rnn.bias_ih_l0_reverse', 'rnn.bias_ih_l1', 'rnn.bias_ih_l1_reverse']);
    for (const [name, v] of Object.entries(after)) {
      const old = before[name]!;
      const pair = name.replace('bias_ih', 'bias_hh');
      if (!name.startsWith('rnn.bias_')) {
        expect(v, name).toEqual(old);
        continue;
      }
      // PyTorch order [i, f, g, o]: rows H..2H are the forget gate.
      for (let r = 0; r < 4 * H; r++) {
        const forget = r >= H && r < 2 * H;
        if (!forget) expect(v[r], `${name}[${r}]`).toBe(old[r]);
        else if (name.includes('bias_hh')) expect(v[r], `${name}[${r}]`).toBe(0);
        else expect(v[r]! + after[pair]![r]!, `${name}[${r}] + ${pair}[${r}]`).toBe(1);
      }
    }
    model.dispose();
  });

  it('leaves GRU and vanilla RNN untouched (no forget gate) and rejects a non-finite value', () => {
    for (const kind of ['gru', 'rnn'] as const) {
      const model = new SequenceModel({ kind, inputSize: 2, hiddenSize: H, outputSize: 1, pooling: 'last' });
      const before = values(model);
      initForgetBias(model, 1);
      expect(values(model)).toEqual(before);
      expect(() => initForgetBias(model, Number.NaN)).toThrow(/forgetBias: expected a finite number/);
      model.dispose();
    }
  });
});
