import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './layer/gru.js';
import { nativeAvailable } from './native/index.js';
import { LSTM } from './layer/lstm.js';
import type { RecurrentLayer } from './layer/recurrent-layer.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import { type TorchFixture, loadTorchFixtures, maxAbsDiff, toTensor } from './test-utils/fixtures.js';
import type { Implementation } from './implementation.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function build(f: TorchFixture, implementation: Implementation): RecurrentLayer {
  const { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, bias, projSize, peepholes, resetAfter, nonlinearity } = f.config;
  const common = { inputSize, hiddenSize, numLayers, bidirectional, batchFirst, implementation, ...(bias === undefined ? {} : { bias }) };
  if (f.kind === 'lstm') return new LSTM({ ...common, projSize: projSize ?? 0, peepholes: peepholes ?? false });
  if (f.kind === 'gru') return new GRU({ ...common, resetAfter: resetAfter ?? true });
  return new SimpleRNN({ ...common, nonlinearity: nonlinearity ?? 'tanh' });
}

/** Output, final states and the gradients of Σ output⊙R_out + Σ h_n⊙R_h + Σ c_n⊙R_c. */
function run(layer: RecurrentLayer, f: TorchFixture) {
  const x0 = toTensor(f.x);
  const x = tf.variable(x0);
  x0.dispose();
  const init = f.initialState
    ? { hidden: toTensor(f.initialState.hidden) as tf.Tensor3D, ...(f.initialState.cell ? { cell: toTensor(f.initialState.cell) as tf.Tensor3D } : {}) }
    : undefined;
  const opts = { ...(f.lengths ? { lengths: f.lengths } : {}), ...(init ? { initialState: init } : {}) };
  const result = layer.forward(x as unknown as tf.Tensor3D, opts);
  const params = layer.parameters();
  const { value, grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const r = layer.forward(x as unknown as tf.Tensor3D, opts);
      let loss = tf.add(tf.sum(tf.mul(r.output, toTensor(f.lossWeights.output))), tf.sum(tf.mul(r.hidden, toTensor(f.lossWeights.hidden))));
      if (r.cell && f.lossWeights.cell) loss = tf.add(loss, tf.sum(tf.mul(r.cell, toTensor(f.lossWeights.cell))));
      return loss as tf.Scalar;
    }),
    [x, ...Object.values(params)],
  );
  const nameOf = new Map<string, string>([[x.name, 'input'], ...Object.entries(params).map(([n, v]) => [v.name, n] as [string, string])]);
  const named: Record<string, tf.Tensor> = {};
  for (const [varName, g] of Object.entries(grads)) named[nameOf.get(varName)!] = g;
  const dispose = () => {
    tf.dispose([x, value, result.output, result.hidden, ...(result.cell ? [result.cell] : []), ...Object.values(grads)]);
    if (init) tf.dispose([init.hidden, ...(init.cell ? [init.cell] : [])]);
  };
  return { result, grads: named, dispose };
}

const fixtures = loadTorchFixtures();

describe.each([...(['step', 'sequence', 'fused'] as const), ...(nativeAvailable() ? (['native'] as const) : [])])('the %s implementation', (implementation) => {
  it.each(fixtures.map((f) => [f.name, f] as const))(
    'matches PyTorch on %s: outputs and states within 1e-5, gradients within 1e-4',
    (_name, f) => {
      const before = tf.memory().numTensors;
      const layer = build(f, implementation);
      const sd = Object.fromEntries(Object.entries(f.stateDict).map(([k, r]) => [k, { shape: r.shape, data: Float32Array.from(r.data) }]));
      layer.loadTorchStateDict(sd);
      const { result, grads, dispose } = run(layer, f);
      expect(layer.lastImplementation).toBe(implementation);
      expect(maxAbsDiff(result.output, f.expected.output)).toBeLessThan(1e-5);
      expect(maxAbsDiff(result.hidden, f.expected.hidden)).toBeLessThan(1e-5);
      if (f.expected.cell) expect(maxAbsDiff(result.cell!, f.expected.cell)).toBeLessThan(1e-5);
      expect(Object.keys(grads).sort()).toEqual(Object.keys(f.grads).sort());
      for (const [name, g] of Object.entries(f.grads)) {
        const d = maxAbsDiff(grads[name]!, g);
        expect(d, `gradient of ${name}`).toBeLessThan(1e-4);
      }
      dispose();
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
