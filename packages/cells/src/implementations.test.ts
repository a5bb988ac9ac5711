import { Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { nativeAvailable } from './native/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedOptionError } from './errors.js';
import { GRU } from './layer/gru.js';
import { LSTM } from './layer/lstm.js';
import type { RecurrentLayer } from './layer/recurrent-layer.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import { maxAbsDiffTensors } from './test-utils/fixtures.js';
import type { Implementation } from './implementation.js';
import type { RecurrentLayerOptions } from './types.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const base = { inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, dropout: 0.3, recurrentDropout: 0.25, seed: 11 };
const configs: [string, (impl: Implementation) => RecurrentLayer][] = [
  ['LSTM with projection and peepholes', (implementation) => new LSTM({ ...base, projSize: 4, peepholes: true, implementation })],
  ['LSTM', (implementation) => new LSTM({ ...base, implementation })],
  ['GRU (reset after)', (implementation) => new GRU({ ...base, implementation })],
  ['GRU (reset before)', (implementation) => new GRU({ ...base, resetAfter: false, implementation })],
  ['SimpleRNN (relu)', (implementation) => new SimpleRNN({ ...base, nonlinearity: 'relu', implementation })],
];

function forwardAndGrads(layer: RecurrentLayer, x: tf.Variable, lengths: number[], training: boolean) {
  const params = layer.parameters();
  const r = new Rng(5);
  const { value, grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const { output, hidden, cell } = layer.forward(x as unknown as tf.Tensor3D, { lengths, training });
      const w = tf.tensor(r.normalArray(output.size), output.shape);
      let loss = tf.add(tf.sum(tf.mul(output, w)), tf.sum(tf.square(hidden)));
      if (cell) loss = tf.add(loss, tf.sum(tf.sin(cell)));
      return loss as tf.Scalar;
    }),
    [x, ...Object.values(params)],
  );
  const out = layer.forward(x as unknown as tf.Tensor3D, { lengths });
  return { value, grads: Object.values(grads), out };
}

describe('the whole-sequence kernels and the per-step loop', () => {
  it.each(configs.flatMap(([name, make]) => (['sequence', 'fused'] as const).map((impl) => [impl, name, make] as const)))(
    'the %s kernel agrees with the step loop within 1e-5 (outputs, states, every gradient) for a 2-layer bidirectional %s with lengths and dropout',
    (impl, _name, make) => {
      const before = tf.memory().numTensors;
      const x0 = tf.tensor3d(new Rng(3).normalArray(4 * 7 * 5), [4, 7, 5]);
      const x = tf.variable(x0);
      x0.dispose();
      const lengths = [7, 3, 5, 1];
      const a = make('step');
      const b = make(impl);
      for (const training of [false, true]) {
        const ra = forwardAndGrads(a, x, lengths, training);
        const rb = forwardAndGrads(b, x, lengths, training);
        expect(a.lastImplementation).toBe('step');
        expect(b.lastImplementation).toBe(impl);
        expect(Math.abs(ra.value.dataSync()[0]! - rb.value.dataSync()[0]!)).toBeLessThan(1e-4);
        expect(maxAbsDiffTensors(ra.out.output, rb.out.output)).toBeLessThan(1e-5);
        expect(maxAbsDiffTensors(ra.out.hidden, rb.out.hidden)).toBeLessThan(1e-5);
        if (ra.out.cell) expect(maxAbsDiffTensors(ra.out.cell, rb.out.cell!)).toBeLessThan(1e-5);
        for (const [i, g] of ra.grads.entries()) expect(maxAbsDiffTensors(g, rb.grads[i]!)).toBeLessThan(1e-5);
        for (const r of [ra, rb]) tf.dispose([r.value, ...r.grads, r.out.output, r.out.hidden, ...(r.out.cell ? [r.out.cell] : [])]);
      }
      a.dispose();
      b.dispose();
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('picks the compiled kernels automatically on wasm (native where its binary loads), and says why', () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 3 });
    const x = tf.ones([1, 4, 2]) as tf.Tensor3D;
    const r = layer.forward(x);
    if (nativeAvailable()) {
      expect(layer.lastImplementation).toBe('native');
      expect(layer.lastImplementationReason).toMatch(/^native: kernels (avx512|avx2|base), \d+ thread\(s\), on backend wasm/);
    } else {
      expect(layer.lastImplementation).toBe('fused');
      expect(layer.lastImplementationReason).toMatch(/^fused: .*wasm/);
    }
    tf.dispose([x, r.output, r.hidden]);
    layer.dispose();
  });

  it('dropout only acts when training, and padding steps output zeros', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, dropout: 0.5, seed: 1 });
    const x = tf.ones([2, 4, 2]) as tf.Tensor3D;
    const a = layer.forward(x, { lengths: [4, 2] });
    const b = layer.forward(x, { lengths: [4, 2] });
    const c = layer.forward(x, { lengths: [4, 2], training: true });
    expect(maxAbsDiffTensors(a.output, b.output)).toBe(0);
    expect(maxAbsDiffTensors(a.output, c.output)).toBeGreaterThan(1e-3);
    const padded = tf.slice(a.output, [1, 2, 0], [1, 2, 3]);
    expect(Array.from(padded.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([x, padded, ...[a, b, c].flatMap((r) => [r.output, r.hidden, r.cell!])]);
    layer.dispose();
  });
});

describe('edge cases', () => {
  it.each(['step', 'sequence', 'fused'] as const)('a zero length keeps the initial state and outputs zeros (%s)', (implementation) => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, implementation, seed: 3 });
    const x = tf.ones([2, 3, 2]) as tf.Tensor3D;
    const init = { hidden: tf.fill([1, 2, 3], 0.5) as tf.Tensor3D, cell: tf.fill([1, 2, 3], -0.25) as tf.Tensor3D };
    const r = layer.forward(x, { lengths: [3, 0], initialState: init });
    expect(Array.from(tf.slice(r.output, [1, 0, 0], [1, 3, 3]).dataSync(), (v) => v + 0)).toEqual(new Array(9).fill(0));
    expect(Array.from(tf.slice(r.hidden, [0, 1, 0], [1, 1, 3]).dataSync())).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(tf.slice(r.cell!, [0, 1, 0], [1, 1, 3]).dataSync())).toEqual([-0.25, -0.25, -0.25]);
    tf.dispose([x, init.hidden, init.cell, r.output, r.hidden, r.cell!]);
    layer.dispose();
  });

  it('rejects an empty sequence', () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 3 });
    const x = tf.zeros([2, 0, 2]) as tf.Tensor3D;
    expect(() => layer.forward(x)).toThrow(/at least one step/);
    x.dispose();
    layer.dispose();
  });
});

describe('options', () => {
  it.each([
    ['projSize on a GRU', () => new GRU({ inputSize: 2, hiddenSize: 3, projSize: 2 } as RecurrentLayerOptions)],
    ['peepholes on a SimpleRNN', () => new SimpleRNN({ inputSize: 2, hiddenSize: 3, peepholes: true })],
    ['resetAfter: false on an LSTM', () => new LSTM({ inputSize: 2, hiddenSize: 3, resetAfter: false })],
    ['relu on a GRU', () => new GRU({ inputSize: 2, hiddenSize: 3, nonlinearity: 'relu' })],
  ])('rejects %s instead of ignoring it', (_name, make) => {
    expect(make).toThrow(UnsupportedOptionError);
  });

  it('rejects lengths outside 0..T and of the wrong count', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3 });
    const x = tf.ones([2, 4, 2]) as tf.Tensor3D;
    expect(() => layer.forward(x, { lengths: [5, 1] })).toThrow(/lengths\[0\]: expected an integer in 0\.\.4, got 5/);
    expect(() => layer.forward(x, { lengths: [1] })).toThrow(/2 lengths/);
    x.dispose();
    layer.dispose();
  });

  it('exposes the resolved options with their defaults', () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 3 });
    expect(layer.config).toMatchObject({ numLayers: 1, bidirectional: false, batchFirst: true, dropout: 0, resetAfter: true, implementation: 'auto' });
    layer.dispose();
  });
});
