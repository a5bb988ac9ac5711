import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLayerModel, buildSequenceModel } from './build-model.js';
import { OnnxFormatError, OnnxUnsupportedError } from './errors.js';
import { decodeModel, encodeModel } from './onnx-proto.js';
import { readRecurrent } from './read-recurrent.js';
import { maxAbsDiff, randomSpec, type SpecOptions } from './test-utils/reference-rnn.js';
import { GatedError, Rng } from '@gated/tensor';
import { runOrt } from './test-utils/ort.js';

interface TorchFixture {
  config: { kind: string; inputSize: number; hiddenSize: number; numLayers: number; bidirectional: boolean };
  stateDict: Record<string, { shape: number[]; data: number[] }>;
  input: { shape: number[]; data: number[] };
  outputs: Record<string, { shape: number[]; data: number[] }>;
}

const fixture = (name: string): { bytes: Uint8Array; ref: TorchFixture } => ({
  bytes: new Uint8Array(readFileSync(new URL(`./__fixtures__/torch-${name}.onnx`, import.meta.url))),
  ref: JSON.parse(readFileSync(new URL(`./__fixtures__/torch-${name}.json`, import.meta.url), 'utf8')) as TorchFixture,
});

describe('reading models exported by torch.onnx.export (PyTorch 1.13)', () => {
  for (const name of ['lstm-2-bidirectional', 'gru-1', 'gru-2-bidirectional', 'rnn-relu-2']) {
    it(`${name}: weights come back under PyTorch's names equal to its state_dict, and re-exported they reproduce its outputs within 1e-5`, async () => {
      const { bytes, ref } = fixture(name);
      const { spec } = readRecurrent(bytes);
      expect(spec.kind).toBe(ref.config.kind);
      expect([spec.inputSize, spec.hiddenSize, spec.numLayers, spec.bidirectional]).toEqual([
        ref.config.inputSize,
        ref.config.hiddenSize,
        ref.config.numLayers,
        ref.config.bidirectional,
      ]);
      expect(Object.keys(spec.weights).sort()).toEqual(Object.keys(ref.stateDict).sort());
      for (const [k, w] of Object.entries(ref.stateDict)) {
        expect(spec.weights[k]!.shape).toEqual(w.shape);
        expect(maxAbsDiff(spec.weights[k]!.data, w.data)).toBeLessThan(1e-7);
      }
      const ours = encodeModel(buildLayerModel(spec));
      const input = { input: { type: 'float32' as const, data: ref.input.data, dims: ref.input.shape } };
      const out = await runOrt('node', ours, input);
      for (const [n, t] of Object.entries(ref.outputs)) {
        expect(out[n]!.dims).toEqual(t.shape);
        expect(maxAbsDiff(out[n]!.data, t.data)).toBeLessThan(1e-5);
      }
    });
  }
});

describe('export → read → export', () => {
  const cases: SpecOptions[] = [
    { kind: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, peepholes: true },
    { kind: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, updateGate: 'chung2014', bias: false },
    { kind: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', bidirectional: true, batchFirst: false },
  ];
  for (const o of cases) {
    it(`gives the same bytes for ${JSON.stringify(o)}`, () => {
      const first = encodeModel(buildLayerModel(randomSpec(o, 3), { lengths: true }));
      const { spec } = readRecurrent(first);
      expect(encodeModel(buildLayerModel(spec, { lengths: true }))).toEqual(first);
    });
  }

  it("reads a file whose metadata names the GRU update form 'seed' (its former name) as chung2014", () => {
    const spec = randomSpec({ kind: 'gru', inputSize: 3, hiddenSize: 4, updateGate: 'chung2014' }, 4);
    const proto = buildLayerModel(spec);
    const config = proto.metadataProps.find((p) => p.key === 'gated.config');
    expect(config?.value).toContain('"updateGate":"chung2014"');
    if (config) config.value = config.value.replace('"chung2014"', '"seed"');
    const read = readRecurrent(encodeModel(proto)).spec;
    expect(read.updateGate).toBe('chung2014');
    for (const [name, w] of Object.entries(spec.weights)) expect(maxAbsDiff(read.weights[name]?.data ?? [], w.data)).toBe(0);
  });

  it('gives the same bytes for a SequenceModel with embedding, and keeps its preprocessing metadata', () => {
    const rnn = randomSpec({ kind: 'lstm', inputSize: 4, hiddenSize: 5 }, 5);
    const model = {
      rnn,
      embedding: { shape: [7, 4], data: Float32Array.from({ length: 28 }, (_, i) => i / 28) },
      head: { weight: { shape: [2, 5], data: Float32Array.from({ length: 10 }, (_, i) => -i / 10) } },
      pooling: 'mean' as const,
    };
    const options = { lengths: true, preprocessing: { vocabulary: ['<pad>', 'a', 'b', 'c', 'd', 'e', 'f'], task: 'toy' } };
    const first = encodeModel(buildSequenceModel(model, options));
    const read = readRecurrent(first);
    expect(read.preprocessing).toEqual(options.preprocessing);
    expect(read.model?.pooling).toBe('mean');
    expect(encodeModel(buildSequenceModel(read.model!, options))).toEqual(first);
  });
});

describe('an LSTM with projection (exported as LSTM on R = weight_hh·weight_hr, then a MatMul)', () => {
  it('reads back weight_hh and weight_hr within 1e-5, and re-exports to the same outputs', async () => {
    const spec = randomSpec({ kind: 'lstm', inputSize: 3, hiddenSize: 6, projSize: 2, numLayers: 2, bidirectional: true }, 8);
    const first = encodeModel(buildLayerModel(spec));
    const back = readRecurrent(first).spec;
    expect(back.projSize).toBe(2);
    expect(Object.keys(back.weights).sort()).toEqual(Object.keys(spec.weights).sort());
    for (const [k, w] of Object.entries(spec.weights)) expect(maxAbsDiff(back.weights[k]!.data, w.data)).toBeLessThan(1e-5);
    const feeds = { input: { type: 'float32' as const, data: Array.from({ length: 30 }, (_, i) => Math.sin(i)), dims: [2, 5, 3] } };
    const a = await runOrt('node', first, feeds);
    const b = await runOrt('node', encodeModel(buildLayerModel(back)), feeds);
    expect(maxAbsDiff(a['output']!.data, b['output']!.data)).toBeLessThan(1e-5);
  });
});

describe('reading refuses what it cannot represent, naming it', () => {
  it('a model with no recurrent operator', () => {
    const bytes = encodeModel(buildLayerModel(randomSpec({ kind: 'rnn', inputSize: 2, hiddenSize: 2 }, 1)));
    const m = decodeModel(bytes);
    m.graph.nodes = m.graph.nodes.filter((n) => n.opType === 'Transpose');
    expect(() => readRecurrent(encodeModel(m))).toThrow(/without LSTM, GRU or RNN operators.*Transpose/);
  });

  it('an LSTM with clip', () => {
    const m = decodeModel(encodeModel(buildLayerModel(randomSpec({ kind: 'lstm', inputSize: 2, hiddenSize: 2 }, 1))));
    m.graph.nodes.find((n) => n.opType === 'LSTM')!.attributes.push({ name: 'clip', type: 1, f: 3, floats: [], ints: [], strings: [] });
    expect(() => readRecurrent(encodeModel(m))).toThrow(OnnxUnsupportedError);
    expect(() => readRecurrent(encodeModel(m))).toThrow(/clip/);
  });

  it('an LSTM projection whose MatMul is missing, with an error that says "projection"', () => {
    const m = decodeModel(encodeModel(buildLayerModel(randomSpec({ kind: 'lstm', inputSize: 2, hiddenSize: 3, projSize: 2 }, 1))));
    m.graph.nodes = m.graph.nodes.filter((n) => n.opType !== 'MatMul');
    expect(() => readRecurrent(encodeModel(m))).toThrow(/projection/);
  });

  it('corrupt or empty bytes, with GATED_ONNX_CORRUPT', () => {
    const bytes = encodeModel(buildLayerModel(randomSpec({ kind: 'gru', inputSize: 2, hiddenSize: 2 }, 1)));
    expect(() => readRecurrent(bytes.subarray(0, bytes.length >> 1))).toThrow(OnnxFormatError);
    expect(() => readRecurrent(new Uint8Array(0))).toThrow(/non-empty/);
    const flipped = bytes.slice();
    flipped[10] = 0xff;
    flipped[11] = 0xff;
    expect(() => readRecurrent(flipped)).toThrow(OnnxFormatError);
  });
});

describe('corrupt files fail with typed errors, never a crash', () => {
  it('300 seeded byte mutations and truncations of an exported LSTM each read or throw a GatedError', () => {
    const bytes = encodeModel(
      buildLayerModel(randomSpec({ kind: 'lstm', inputSize: 2, hiddenSize: 3, bidirectional: true, peepholes: true }, 4), { lengths: true }),
    );
    const rng = new Rng(99);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      let b = bytes.slice();
      if (i % 3 === 0) b = b.subarray(0, rng.int(b.length));
      else for (let j = 0; j < 1 + rng.int(4); j++) b[rng.int(b.length)] = rng.int(256);
      try {
        readRecurrent(b);
        kinds.set('read', (kinds.get('read') ?? 0) + 1);
      } catch (e) {
        if (!(e instanceof GatedError)) throw new Error(`mutation ${i} threw ${String(e)}`);
        kinds.set(e.code, (kinds.get(e.code) ?? 0) + 1);
      }
    }
    expect(kinds.get('GATED_ONNX_CORRUPT')).toBeGreaterThan(50);
  });
});
