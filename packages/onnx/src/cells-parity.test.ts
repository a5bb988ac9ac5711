import { readFileSync } from 'node:fs';
import { GRU, Linear, LSTM, LSTMCell, type RecurrentKind, type RecurrentLayerOptions, SimpleRNN } from '@gated/cells';
import { initBackend, Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxUnsupportedError } from './errors.js';
import { exportOnnx } from './export-onnx.js';
import { importOnnx } from './import-onnx.js';
import { buildLayerModel } from './build-model.js';
import { encodeModel } from './onnx-proto.js';
import { maxAbsDiff, randomSpec } from './test-utils/reference-rnn.js';
import { type Feed, type Runtime, runOrt } from './test-utils/ort.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

type Kind = RecurrentKind;
const make = (kind: Kind, o: RecurrentLayerOptions): LSTM | GRU | SimpleRNN =>
  kind === 'lstm' ? new LSTM(o) : kind === 'gru' ? new GRU(o) : new SimpleRNN(o);

/** Max |ONNX − tfjs| over output, hidden and cell for one batch shape. */
async function parity(
  layer: LSTM | GRU | SimpleRNN,
  bytes: Uint8Array,
  B: number,
  T: number,
  opts: { lengths?: number[]; initialState?: boolean; runtime?: Runtime },
): Promise<number> {
  const rng = new Rng(B * 100 + T);
  const F = layer.config.inputSize;
  const xData = rng.uniformArray(B * T * F, -1, 1);
  const bf = layer.config.batchFirst;
  const x = tf.tensor3d(xData, bf ? [B, T, F] : [T, B, F]);
  const L = layer.config.numLayers * (layer.config.bidirectional ? 2 : 1);
  const Ho = layer.config.projSize || layer.config.hiddenSize;
  const state = opts.initialState
    ? {
        hidden: tf.tensor3d(rng.uniformArray(L * B * Ho, -1, 1), [L, B, Ho]),
        ...(layer.kind === 'lstm' ? { cell: tf.tensor3d(rng.uniformArray(L * B * layer.config.hiddenSize, -1, 1), [L, B, layer.config.hiddenSize]) } : {}),
      }
    : undefined;
  const ours = layer.forward(x, { ...(opts.lengths ? { lengths: opts.lengths } : {}), ...(state ? { initialState: state } : {}) });
  const feeds: Record<string, Feed> = { input: { type: 'float32', data: xData, dims: x.shape } };
  if (opts.lengths) feeds['lengths'] = { type: 'int32', data: opts.lengths, dims: [B] };
  if (state) {
    feeds['initial_hidden'] = { type: 'float32', data: state.hidden.dataSync(), dims: state.hidden.shape };
    if (state.cell) feeds['initial_cell'] = { type: 'float32', data: state.cell.dataSync(), dims: state.cell.shape };
  }
  const out = await runOrt(opts.runtime ?? 'node', bytes, feeds);
  expect(out['output']!.dims).toEqual(ours.output.shape);
  expect(out['hidden']!.dims).toEqual(ours.hidden.shape);
  let err = Math.max(maxAbsDiff(out['output']!.data, ours.output.dataSync()), maxAbsDiff(out['hidden']!.data, ours.hidden.dataSync()));
  if (ours.cell) err = Math.max(err, maxAbsDiff(out['cell']!.data, ours.cell.dataSync()));
  tf.dispose([x, ours.output, ours.hidden, ...(ours.cell ? [ours.cell] : []), ...(state ? [state.hidden, ...(state.cell ? [state.cell] : [])] : [])]);
  return err;
}

const CASES: [string, Kind, RecurrentLayerOptions][] = [
  ['LSTM', 'lstm', { inputSize: 5, hiddenSize: 8, seed: 1 }],
  ['LSTM, 2 bidirectional layers', 'lstm', { inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, seed: 2 }],
  ['LSTM with peepholes', 'lstm', { inputSize: 4, hiddenSize: 6, peepholes: true, bidirectional: true, seed: 3 }],
  ['LSTM with projection (exact decomposition)', 'lstm', { inputSize: 4, hiddenSize: 7, projSize: 3, numLayers: 2, bidirectional: true, seed: 4 }],
  ['LSTM without bias, time-major', 'lstm', { inputSize: 4, hiddenSize: 5, bias: false, batchFirst: false, seed: 5 }],
  ['GRU (reset after)', 'gru', { inputSize: 5, hiddenSize: 6, numLayers: 2, seed: 6 }],
  ['GRU (reset before), bidirectional', 'gru', { inputSize: 5, hiddenSize: 6, resetAfter: false, bidirectional: true, seed: 7 }],
  ['SimpleRNN tanh, bidirectional', 'rnn', { inputSize: 4, hiddenSize: 6, bidirectional: true, seed: 8 }],
  ['SimpleRNN relu, 2 layers', 'rnn', { inputSize: 4, hiddenSize: 6, nonlinearity: 'relu', numLayers: 2, seed: 9 }],
];

describe('onnxruntime-node runs exported @gated/cells layers like their tfjs forward (1e-5 max abs)', () => {
  for (const [name, kind, o] of CASES) {
    it(`${name}: two batch/sequence shapes, with lengths and with initial state`, async () => {
      const layer = make(kind, o);
      const before = tf.memory().numTensors;
      const plain = exportOnnx(layer);
      const withLengths = exportOnnx(layer, { lengths: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(await parity(layer, plain, 2, 9, {})).toBeLessThan(1e-5);
      expect(await parity(layer, plain, 1, 3, {})).toBeLessThan(1e-5);
      expect(await parity(layer, withLengths, 4, 7, { lengths: [7, 2, 5, 1] })).toBeLessThan(1e-5);
      if (!o.projSize) {
        const withState = exportOnnx(layer, { lengths: true, initialState: true });
        expect(await parity(layer, withState, 3, 4, { lengths: [4, 1, 3], initialState: true })).toBeLessThan(1e-5);
      }
      layer.dispose();
    });
  }

  it('the same exported layers run in onnxruntime-web (wasm) with the same outputs', async () => {
    for (const [, kind, o] of CASES) {
      const layer = make(kind, o);
      expect(await parity(layer, exportOnnx(layer, { lengths: true }), 3, 5, { lengths: [5, 3, 1], runtime: 'web' })).toBeLessThan(1e-5);
      layer.dispose();
    }
  });
});

describe('export → import → export', () => {
  for (const [name, kind, o] of CASES) {
    const exact = !o.projSize;
    it(`${name} round-trips to ${exact ? 'identical bytes and an identical' : 'the same (within 1e-5, the projection is un-fused in float64)'} tfjs forward`, () => {
      const layer = make(kind, o);
      const bytes = exportOnnx(layer, { lengths: true });
      const before = tf.memory().numTensors;
      const { layer: back } = importOnnx(bytes);
      expect(back.kind).toBe(layer.kind);
      expect(back.config).toMatchObject({ ...o, seed: back.config.seed });
      if (exact) expect(exportOnnx(back, { lengths: true })).toEqual(bytes);
      const x = tf.randomUniform([2, 3, o.inputSize], -1, 1, 'float32', 1) as tf.Tensor3D;
      const xin = o.batchFirst === false ? (tf.transpose(x, [1, 0, 2]) as tf.Tensor3D) : x;
      const a = layer.forward(xin);
      const b = back.forward(xin);
      expect(maxAbsDiff(a.output.dataSync(), b.output.dataSync())).toBeLessThanOrEqual(exact ? 0 : 1e-5);
      tf.dispose([a.output, a.hidden, b.output, b.hidden, ...(a.cell ? [a.cell, b.cell!] : []), x, xin]);
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
      layer.dispose();
    });
  }
});

describe('importing torch.onnx.export models into @gated/cells layers', () => {
  for (const name of ['lstm-2-bidirectional', 'gru-1', 'gru-2-bidirectional', 'rnn-relu-2']) {
    it(`${name}: the imported layer's tfjs forward equals PyTorch's outputs within 1e-5`, () => {
      const bytes = new Uint8Array(readFileSync(new URL(`./__fixtures__/torch-${name}.onnx`, import.meta.url)));
      const ref = JSON.parse(readFileSync(new URL(`./__fixtures__/torch-${name}.json`, import.meta.url), 'utf8')) as {
        input: { shape: [number, number, number]; data: number[] };
        outputs: Record<string, { shape: number[]; data: number[] }>;
      };
      const { layer } = importOnnx(bytes);
      const x = tf.tensor3d(ref.input.data, ref.input.shape);
      const out = layer.forward(x);
      const got: Record<string, tf.Tensor | undefined> = { output: out.output, hidden: out.hidden, cell: out.cell };
      for (const [n, t] of Object.entries(ref.outputs)) {
        expect(got[n]!.shape).toEqual(t.shape);
        expect(maxAbsDiff(got[n]!.dataSync(), t.data)).toBeLessThan(1e-5);
      }
      tf.dispose([x, out.output, out.hidden, ...(out.cell ? [out.cell] : [])]);
      layer.dispose();
    });
  }
});

describe('what the exporter refuses, by name', () => {
  it('a value that is not a recurrent layer or SequenceModel: a plain object, a Linear, a single LSTMCell', () => {
    expect(() => exportOnnx({} as never)).toThrow(/exporting Object/);
    const linear = new Linear({ inFeatures: 2, outFeatures: 3 });
    const cell = new LSTMCell({ inputSize: 2, hiddenSize: 3 });
    expect(() => exportOnnx(linear as never)).toThrow(/exporting Linear is not supported/);
    expect(() => exportOnnx(cell as never)).toThrow(/exporting LSTMCell is not supported/);
    linear.dispose();
    cell.dispose();
  });

  it('a layer option it cannot express', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3 });
    const fake = { kind: layer.kind, config: { ...layer.config, layerNorm: true }, torchStateDict: () => layer.torchStateDict() };
    expect(() => exportOnnx(fake as never)).toThrow(OnnxUnsupportedError);
    expect(() => exportOnnx(fake as never)).toThrow(/layer option layerNorm/);
    layer.dispose();
  });

  it('an updateGate in a layer config (no cells layer has one; convert such weights with flipGruUpdateGate)', () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 3 });
    const fake = { kind: layer.kind, config: { ...layer.config, updateGate: 'torch' }, torchStateDict: () => layer.torchStateDict() };
    expect(() => exportOnnx(fake as never)).toThrow(/layer option updateGate/);
    layer.dispose();
  });

  it('an LSTM with projection and initial-state inputs, saying "projection"', () => {
    const layer = new LSTM({ inputSize: 2, hiddenSize: 3, projSize: 2 });
    expect(() => exportOnnx(layer, { initialState: true })).toThrow(/projection/);
    layer.dispose();
  });

  it('an opset outside 14…17', () => {
    const layer = new GRU({ inputSize: 2, hiddenSize: 3 });
    expect(() => exportOnnx(layer, { opset: 13 })).toThrow(/opset/);
    layer.dispose();
  });
});

describe('importing a GRU exported in the chung2014 update-gate form', () => {
  it("gives a cells GRU (PyTorch's form) that computes onnxruntime's outputs within 1e-5", async () => {
    const bytes = encodeModel(buildLayerModel(randomSpec({ kind: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, updateGate: 'chung2014' }, 7)));
    const x = tf.randomUniform([2, 5, 3], -1, 1, 'float32', 3) as tf.Tensor3D;
    const feed = { input: { type: 'float32' as const, data: Array.from(x.dataSync()), dims: x.shape } };
    const ort = await runOrt('node', bytes, feed);
    const { layer } = importOnnx(bytes);
    const out = layer.forward(x);
    expect(maxAbsDiff(out.output.dataSync(), ort['output']?.data ?? [])).toBeLessThan(1e-5);
    expect(maxAbsDiff(out.hidden.dataSync(), ort['hidden']?.data ?? [])).toBeLessThan(1e-5);
    tf.dispose([x, out.output, out.hidden]);
    layer.dispose();
  });
});
