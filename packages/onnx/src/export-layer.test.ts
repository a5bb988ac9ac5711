import { describe, expect, it } from 'vitest';
import { buildLayerModel, buildSequenceModel } from './build-model.js';
import { OnnxUnsupportedError } from './errors.js';
import { DataType, decodeModel, encodeModel } from './onnx-proto.js';
import type { RecurrentSpec } from './recurrent-spec.js';
import { flat, maxAbsDiff, randomInput, randomSpec, referenceForward, type SpecOptions } from './test-utils/reference-rnn.js';
import { type Feed, type Runtime, runOrt } from './test-utils/ort.js';
import { randomModel, referenceModel } from './test-utils/reference-model.js';

const TOL = 1e-5;

async function check(
  spec: RecurrentSpec,
  opts: { lengths?: boolean; initialState?: boolean; runtime?: Runtime } = {},
): Promise<number> {
  const bytes = encodeModel(buildLayerModel(spec, { lengths: opts.lengths ?? false, initialState: opts.initialState ?? false }));
  // Batch 3 and 5 steps: neither is fixed at export (the axes are dynamic).
  const B = 3;
  const T = 5;
  const x = randomInput(B, T, spec.inputSize, 7);
  const lengths = opts.lengths ? [5, 2, 4] : undefined;
  const L = spec.numLayers * (spec.bidirectional ? 2 : 1);
  const Ho = spec.projSize || spec.hiddenSize;
  const initial = opts.initialState
    ? {
        hidden: [0, 1, 2, 3].slice(0, L).map((l) => randomInput(B, Ho, 1, 100 + l).map((r) => r.map((v) => v[0]!))),
        cell: [0, 1, 2, 3].slice(0, L).map((l) => randomInput(B, spec.hiddenSize, 1, 200 + l).map((r) => r.map((v) => v[0]!))),
      }
    : undefined;
  const ref = referenceForward(spec, x, lengths, initial);
  const feeds: Record<string, Feed> = {
    input: spec.batchFirst
      ? { type: 'float32', data: flat(x), dims: [B, T, spec.inputSize] }
      : {
          type: 'float32',
          data: flat(Array.from({ length: T }, (_, t) => x.map((row) => row[t]!))),
          dims: [T, B, spec.inputSize],
        },
  };
  if (lengths) feeds['lengths'] = { type: 'int32', data: lengths, dims: [B] };
  if (initial) {
    feeds['initial_hidden'] = { type: 'float32', data: flat(initial.hidden), dims: [L, B, Ho] };
    if (spec.kind === 'lstm') feeds['initial_cell'] = { type: 'float32', data: flat(initial.cell), dims: [L, B, spec.hiddenSize] };
  }
  const out = await runOrt(opts.runtime ?? 'node', bytes, feeds);
  const D = (spec.bidirectional ? 2 : 1) * Ho;
  expect(out['output']!.dims).toEqual(spec.batchFirst ? [B, T, D] : [T, B, D]);
  expect(out['hidden']!.dims).toEqual([L, B, Ho]);
  const refOut = spec.batchFirst ? ref.output : Array.from({ length: T }, (_, t) => ref.output.map((row) => row[t]!));
  let err = Math.max(maxAbsDiff(out['output']!.data, flat(refOut)), maxAbsDiff(out['hidden']!.data, flat(ref.hidden)));
  if (spec.kind === 'lstm') err = Math.max(err, maxAbsDiff(out['cell']!.data, flat(ref.cell)));
  else expect(out['cell']).toBeUndefined();
  return err;
}

const CASES: [string, SpecOptions][] = [
  ['LSTM', { kind: 'lstm', inputSize: 4, hiddenSize: 6 }],
  ['LSTM, 2 bidirectional layers', { kind: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 2, bidirectional: true }],
  ['LSTM without bias', { kind: 'lstm', inputSize: 3, hiddenSize: 4, bias: false }],
  ['LSTM with peepholes, bidirectional', { kind: 'lstm', inputSize: 3, hiddenSize: 4, peepholes: true, bidirectional: true }],
  ['LSTM with projection, 2 bidirectional layers', { kind: 'lstm', inputSize: 4, hiddenSize: 6, projSize: 3, numLayers: 2, bidirectional: true }],
  ['LSTM, time-major (batchFirst: false)', { kind: 'lstm', inputSize: 3, hiddenSize: 4, batchFirst: false }],
  ['GRU (reset after, PyTorch form)', { kind: 'gru', inputSize: 4, hiddenSize: 5 }],
  ['GRU (reset before), 2 bidirectional layers', { kind: 'gru', inputSize: 4, hiddenSize: 5, resetAfter: false, numLayers: 2, bidirectional: true }],
  ['GRU with the chung2014-form update gate', { kind: 'gru', inputSize: 4, hiddenSize: 5, updateGate: 'chung2014', resetAfter: false }],
  ['GRU without bias', { kind: 'gru', inputSize: 3, hiddenSize: 4, bias: false }],
  ['RNN tanh, 3 layers', { kind: 'rnn', inputSize: 4, hiddenSize: 5, numLayers: 3 }],
  ['RNN relu, bidirectional', { kind: 'rnn', inputSize: 4, hiddenSize: 5, nonlinearity: 'relu', bidirectional: true }],
];

describe('a bare recurrent layer exported to ONNX runs in onnxruntime-node like the float64 reference', () => {
  for (const [name, o] of CASES) {
    it(`${name}: full length, with lengths, and with initial state, within 1e-5`, async () => {
      const spec = randomSpec(o, 11);
      expect(await check(spec)).toBeLessThan(TOL);
      expect(await check(spec, { lengths: true })).toBeLessThan(TOL);
      if (spec.projSize === 0) expect(await check(spec, { lengths: true, initialState: true })).toBeLessThan(TOL);
    });
  }
});

describe('the same models run in onnxruntime-web (wasm, in Node)', () => {
  for (const [name, o] of CASES.filter((_, i) => i % 2 === 1)) {
    it(`${name} with lengths, within 1e-5`, async () => {
      expect(await check(randomSpec(o, 11), { lengths: true, runtime: 'web' })).toBeLessThan(TOL);
    });
  }
});

describe('LSTM projection', () => {
  it('with initialState is refused with an error that says "projection"', () => {
    const spec = randomSpec({ kind: 'lstm', inputSize: 3, hiddenSize: 4, projSize: 2 }, 1);
    expect(() => buildLayerModel(spec, { initialState: true })).toThrow(OnnxUnsupportedError);
    expect(() => buildLayerModel(spec, { initialState: true })).toThrow(/projection/);
  });
});

describe('opsets', () => {
  for (const opset of [14, 15, 16, 17]) {
    it(`opset ${opset} models load and match the reference`, async () => {
      const m = randomModel({ kind: 'gru', inputSize: 3, hiddenSize: 4, outputSize: 2, pooling: 'mean' }, 2);
      const bytes = encodeModel(buildSequenceModel(m, { opset }));
      const x = randomInput(2, 3, 3, 1);
      const out = await runOrt('node', bytes, { input: { type: 'float32', data: flat(x), dims: [2, 3, 3] } });
      expect(maxAbsDiff(out['output']!.data, flat(referenceModel(m, x).logits))).toBeLessThan(TOL);
    });
  }
});

describe('the bare-layer contract', () => {
  it('LSTM: inputs input [batch, sequence, F] float32 and lengths [batch] int32; outputs output, hidden, cell with dynamic axes', () => {
    const spec = randomSpec({ kind: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true }, 1);
    const m = decodeModel(encodeModel(buildLayerModel(spec, { lengths: true, initialState: true })));
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 14 }]);
    expect(m.producerName).toBe('@gated/onnx');
    expect(m.docString).toMatch(/2-layer LSTM 3→4 \(bidirectional\)/);
    expect(m.graph.inputs.map((i) => [i.name, i.elemType, i.shape])).toEqual([
      ['input', DataType.FLOAT, ['batch', 'sequence', 3]],
      ['lengths', DataType.INT32, ['batch']],
      ['initial_hidden', DataType.FLOAT, [4, 'batch', 4]],
      ['initial_cell', DataType.FLOAT, [4, 'batch', 4]],
    ]);
    expect(m.graph.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['output', ['batch', 'sequence', 8]],
      ['hidden', [4, 'batch', 4]],
      ['cell', [4, 'batch', 4]],
    ]);
    // one standard LSTM operator per layer, both directions inside it
    const lstms = m.graph.nodes.filter((n) => n.opType === 'LSTM');
    expect(lstms).toHaveLength(2);
    expect(lstms.every((n) => new TextDecoder().decode(n.attributes.find((a) => a.name === 'direction')!.s) === 'bidirectional')).toBe(true);
    expect(lstms.every((n) => n.inputs[4] === 'lengths')).toBe(true);
  });
});
