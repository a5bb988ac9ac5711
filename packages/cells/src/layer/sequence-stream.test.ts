import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { nativeAvailable, nativeInfo, nativeKernel, setNativeThreads } from '../native/index.js';
import type { RecurrentLayer } from './recurrent-layer.js';
import { SimpleRNN } from './simple-rnn.js';

// A stream fed frame by frame (and in uneven chunks) equals the whole-sequence forward of the plain TypeScript
// path ('sequence', independent of the compiled kernels), within 1e-5; its carried state equals h_n / c_n.
const TOL = 1e-5;
const T = 11, I = 6, H = 10;

const LAYERS: readonly (readonly [string, () => RecurrentLayer])[] = [
  ['2-layer LSTM', () => new LSTM({ inputSize: I, hiddenSize: H, numLayers: 2, seed: 1 })],
  ['LSTM with projection and peepholes', () => new LSTM({ inputSize: I, hiddenSize: H, projSize: 4, peepholes: true, seed: 2 })],
  ['GRU', () => new GRU({ inputSize: I, hiddenSize: H, seed: 3 })],
  ['GRU reset before', () => new GRU({ inputSize: I, hiddenSize: H, resetAfter: false, seed: 4 })],
  ['RNN relu', () => new SimpleRNN({ inputSize: I, hiddenSize: H, nonlinearity: 'relu', seed: 5 })],
];
// the native kernels at 1 and 2 threads (a push is one call into the addon either way), and the wasm kernels
const KERNELS: readonly (readonly ['native' | 'wasm', number])[] = nativeAvailable()
  ? [['native', 1], ['native', 2], ['wasm', 0]]
  : [['wasm', 0]];

function expectClose(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length, name).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > TOL * (1 + Math.abs(expected[i]!))) expect(actual[i], `${name}[${i}]`).toBeCloseTo(expected[i]!, 5);
  }
}

describe('SequenceStream', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  describe.each(KERNELS)('on the %s kernels (threads: %i)', (kernels, threads) => {
    let before = 0;
    beforeAll(() => {
      if (kernels === 'native') {
        before = nativeInfo().threads;
        setNativeThreads(threads);
      }
    });
    afterAll(() => {
      if (kernels === 'native') setNativeThreads(before);
    });

    it.each(LAYERS)('%s fed frame by frame and in chunks equals the whole-sequence forward (1e-5)', (_name, make) => {
      const layer = make();
      const plain = make();
      // same weights, the plain TypeScript path as the reference
      const ref = new (plain.constructor as new (o: object) => RecurrentLayer)({ ...plain.config, implementation: 'sequence' });
      ref.loadTorchStateDict(layer.torchStateDict());
      plain.dispose();
      for (const batch of [1, 3]) {
        const x = tf.randomNormal([batch, T, I], 0, 1, 'float32', 9) as tf.Tensor3D;
        const whole = ref.forward(x);
        const xs = x.dataSync() as Float32Array;
        const R = layer.outputSize;
        // frame by frame
        const frames = layer.stream({ batch, kernels });
        const got = new Float32Array(batch * T * R);
        for (let t = 0; t < T; t++) {
          const frame = new Float32Array(batch * I);
          for (let b = 0; b < batch; b++) frame.set(xs.subarray((b * T + t) * I, (b * T + t + 1) * I), b * I);
          const y = frames.push(frame);
          for (let b = 0; b < batch; b++) got.set(y.subarray(b * R, (b + 1) * R), (b * T + t) * R);
        }
        expectClose(`frames, batch ${batch}`, got, whole.output.dataSync());
        const state = frames.state();
        expectClose('h_n', state.hidden.dataSync(), whole.hidden.dataSync());
        if (whole.cell) expectClose('c_n', state.cell!.dataSync(), whole.cell.dataSync());
        // chunks of 4, 4, 3 through tensors
        const chunks = layer.stream({ batch, kernels });
        const parts = [[0, 4], [4, 8], [8, T]].map(([a, b]) => {
          const piece = tf.slice(x, [0, a!, 0], [batch, b! - a!, I]) as tf.Tensor3D;
          const y = chunks.pushTensor(piece);
          piece.dispose();
          return y;
        });
        const joined = tf.concat(parts, 1);
        expectClose(`chunks, batch ${batch}`, joined.dataSync(), whole.output.dataSync());
        tf.dispose([x, whole.output, whole.hidden, whole.cell ?? [], state.hidden, state.cell ?? [], joined, ...parts]);
      }
      layer.dispose();
      ref.dispose();
    });

    it('starts from a given state and can be reset', () => {
      const layer = new LSTM({ inputSize: I, hiddenSize: H, seed: 6 });
      const stream = layer.stream({ kernels });
      const frame = Float32Array.from({ length: I }, (_, i) => Math.sin(i));
      const first = stream.push(frame);
      const carried = stream.state();
      const second = stream.push(frame);
      stream.reset(carried);
      expectClose('resumed', stream.push(frame), second);
      stream.reset();
      expectClose('reset', stream.push(frame), first);
      tf.dispose([carried.hidden, carried.cell!]);
      layer.dispose();
    });
  });

  it.skipIf(!nativeAvailable())('pushes a frame on the native kernels with one call into the addon', () => {
    const k = nativeKernel() as unknown as Record<string, unknown>;
    const calls: string[] = [];
    const originals = new Map<string, (...args: unknown[]) => unknown>();
    for (const [name, fn] of Object.entries(k)) {
      if (typeof fn !== 'function') continue;
      const original = fn as (...args: unknown[]) => unknown;
      originals.set(name, original);
      k[name] = (...args: unknown[]) => {
        calls.push(name);
        return original(...args);
      };
    }
    try {
      for (const layer of [new LSTM({ inputSize: I, hiddenSize: H, seed: 7 }), new GRU({ inputSize: I, hiddenSize: H, seed: 8 }), new SimpleRNN({ inputSize: I, hiddenSize: H, seed: 9 })]) {
        const stream = layer.stream({ kernels: 'native' });
        stream.push(new Float32Array(I));
        calls.length = 0;
        stream.push(Float32Array.from({ length: I }, (_, i) => i / I));
        expect(calls, layer.kind).toEqual(['stream_push']);
        layer.dispose();
      }
    } finally {
      for (const [name, fn] of originals) k[name] = fn;
    }
  });

  it('rejects bidirectional layers, bad frames and unknown options', () => {
    const bi = new GRU({ inputSize: I, hiddenSize: H, bidirectional: true });
    expect(() => bi.stream()).toThrow(/bidirectional/);
    const layer = new GRU({ inputSize: I, hiddenSize: H });
    const stream = layer.stream();
    expect(() => stream.push(new Float32Array(I + 1))).toThrow(/inputSize/);
    expect(() => layer.stream({ batchSize: 2 } as object)).toThrow(/unknown option "batchSize"/);
    bi.dispose();
    layer.dispose();
  });
});
