import { ArgumentError, Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRUCell } from './step/gru-cell.js';
import { GRU } from './layer/gru.js';
import { LSTMCell } from './step/lstm-cell.js';
import { LSTM } from './layer/lstm.js';
import { SimpleRNNCell } from './step/simple-rnn-cell.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import { maxAbsDiffTensors } from './test-utils/fixtures.js';
import type { RecurrentState } from './types.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** The layer-0 weights of a layer under cell names (weight_ih_l0 → weight_ih). */
function l0(params: Record<string, tf.Variable>): Record<string, tf.Variable> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => k.endsWith('_l0')).map(([k, v]) => [k.slice(0, -3), v]));
}

const randomInput = (seed: number, shape: [number, number, number]) => tf.tensor3d(new Rng(seed).normalArray(shape[0] * shape[1] * shape[2]), shape);

describe('single-step cells', () => {
  const cases = [
    ['LSTMCell', () => new LSTM({ inputSize: 3, hiddenSize: 5, seed: 4, projSize: 2, peepholes: true }), (w: Record<string, tf.Variable>) => new LSTMCell({ inputSize: 3, hiddenSize: 5, projSize: 2, peepholes: true }, w)],
    ['GRUCell (reset before)', () => new GRU({ inputSize: 3, hiddenSize: 5, seed: 4, resetAfter: false }), (w: Record<string, tf.Variable>) => new GRUCell({ inputSize: 3, hiddenSize: 5, resetAfter: false }, w)],
    ['GRUCell', () => new GRU({ inputSize: 3, hiddenSize: 5, seed: 4 }), (w: Record<string, tf.Variable>) => new GRUCell({ inputSize: 3, hiddenSize: 5 }, w)],
    ['SimpleRNNCell', () => new SimpleRNN({ inputSize: 3, hiddenSize: 5, seed: 4 }), (w: Record<string, tf.Variable>) => new SimpleRNNCell({ inputSize: 3, hiddenSize: 5 }, w)],
  ] as const;

  it.each(cases)('%s stepped over a sequence reproduces the sequence layer within 1e-6', (_name, makeLayer, makeCell) => {
    const before = tf.memory().numTensors;
    const layer = makeLayer();
    const cell = makeCell(l0(layer.parameters()));
    const x = randomInput(9, [2, 6, 3]);
    const { output, hidden, cell: c } = layer.forward(x);
    let state: RecurrentState | undefined;
    const xs = tf.unstack(x, 1) as tf.Tensor2D[];
    const ys = tf.unstack(output, 1);
    for (let t = 0; t < 6; t++) {
      const next = cell.step(xs[t]!, state);
      if (state) tf.dispose([state.h, ...(state.c ? [state.c] : [])]);
      state = next;
      expect(maxAbsDiffTensors(state.h, ys[t]!)).toBeLessThan(1e-6);
    }
    const h0 = tf.squeeze(hidden, [0]);
    expect(maxAbsDiffTensors(state!.h, h0)).toBeLessThan(1e-6);
    if (c) {
      const c0 = tf.squeeze(c, [0]);
      expect(maxAbsDiffTensors(state!.c!, c0)).toBeLessThan(1e-6);
      c0.dispose();
    }
    tf.dispose([x, output, hidden, ...(c ? [c] : []), ...xs, ...ys, h0, state!.h, ...(state!.c ? [state!.c] : [])]);
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts from zeros when no state is given', () => {
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    const x = tf.ones([1, 2]) as tf.Tensor2D;
    const zero = { h: tf.zeros([1, 3]) as tf.Tensor2D, c: tf.zeros([1, 3]) as tf.Tensor2D };
    const a = cell.step(x);
    const b = cell.step(x, zero);
    expect(maxAbsDiffTensors(a.h, b.h)).toBe(0);
    expect(a.c!.shape).toEqual([1, 3]);
    tf.dispose([x, zero.h, zero.c, a.h, a.c!, b.h, b.c!]);
    cell.dispose();
  });

  it('rejects an input of the wrong width and an LSTM state without c', () => {
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    const x = tf.ones([1, 4]) as tf.Tensor2D;
    expect(() => cell.step(x)).toThrow(ArgumentError);
    const ok = tf.ones([1, 2]) as tf.Tensor2D;
    const h = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => cell.step(ok, { h })).toThrow(/state\.c/);
    tf.dispose([x, ok, h]);
    cell.dispose();
  });

  it('names its weights as PyTorch’s LSTMCell does', () => {
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    expect(Object.keys(cell.parameters())).toEqual(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
    expect(cell.parameters()['weight_ih']!.shape).toEqual([12, 2]);
    cell.dispose();
  });
});
