import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArgumentError, OptionsError, Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeGateRecording, recordGates } from './gate-recording.js';
import { GRU } from './layer/gru.js';
import { LSTM } from './layer/lstm.js';
import { SequenceModel } from './sequence-model.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import { type Rec, loadTorchFixtures, maxAbsDiff, maxAbsDiffTensors, toTensor } from './test-utils/fixtures.js';

/** Gates computed with PyTorch from nn.LSTM / nn.GRU weights (tools/fixtures/cells/make_gate_fixtures.py). */
interface GateFixture {
  readonly kind: 'lstm' | 'gru';
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly x: Rec;
  readonly stateDict: Record<string, Rec>;
  readonly gates: Record<string, Rec>;
  readonly cellState?: Rec;
  readonly hidden: Rec;
}
const GATE_FIXTURES = (JSON.parse(readFileSync(fileURLToPath(new URL('./__fixtures__/gates-torch.json', import.meta.url)), 'utf8')) as { cases: GateFixture[] }).cases;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const randomInput = (seed: number, shape: [number, number, number]) => tf.tensor3d(new Rng(seed).normalArray(shape[0] * shape[1] * shape[2]), shape);

/** Row-major [rows, cols] weights as arrays, read once. */
function weightsOf(layer: LSTM | GRU): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(layer.parameters()).map(([k, v]) => [k.replace(/_l0$/, ''), v.dataSync() as Float32Array]));
}

/** a = W_ih x + b_ih + W_hh h + b_hh for gate rows [g·H, (g+1)·H), in float64. */
function preActivation(w: Record<string, Float32Array>, g: number, H: number, x: readonly number[], h: readonly number[]): { ih: number[]; hh: number[] } {
  const I = x.length;
  const ih: number[] = [];
  const hh: number[] = [];
  for (let j = 0; j < H; j++) {
    const row = g * H + j;
    let a = w['bias_ih']![row]!;
    for (let k = 0; k < I; k++) a += w['weight_ih']![row * I + k]! * x[k]!;
    let b = w['bias_hh']![row]!;
    for (let k = 0; k < H; k++) b += w['weight_hh']![row * H + k]! * h[k]!;
    ih.push(a);
    hh.push(b);
  }
  return { ih, hh };
}

/** The LSTM equations by hand: gates [t][name][j] for one sequence x[t][k]. */
function lstmByHand(w: Record<string, Float32Array>, H: number, xs: readonly (readonly number[])[]) {
  let h = new Array<number>(H).fill(0);
  let c = new Array<number>(H).fill(0);
  const out: { i: number[]; f: number[]; g: number[]; o: number[]; c: number[]; h: number[] }[] = [];
  for (const x of xs) {
    const pre = [0, 1, 2, 3].map((g) => {
      const { ih, hh } = preActivation(w, g, H, x, h);
      return ih.map((v, j) => v + hh[j]!);
    });
    // i, f, o = σ(·); g = tanh(·); c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t)
    const i = pre[0]!.map(sigmoid);
    const f = pre[1]!.map(sigmoid);
    const g = pre[2]!.map(Math.tanh);
    const o = pre[3]!.map(sigmoid);
    c = c.map((cj, j) => f[j]! * cj + i[j]! * g[j]!);
    h = c.map((cj, j) => o[j]! * Math.tanh(cj));
    out.push({ i, f, g, o, c, h });
  }
  return out;
}

/** The GRU equations (PyTorch, reset after) by hand. */
function gruByHand(w: Record<string, Float32Array>, H: number, xs: readonly (readonly number[])[]) {
  let h = new Array<number>(H).fill(0);
  const out: { r: number[]; z: number[]; n: number[]; h: number[] }[] = [];
  for (const x of xs) {
    const [pr, pz, pn] = [0, 1, 2].map((g) => preActivation(w, g, H, x, h)) as [ReturnType<typeof preActivation>, ReturnType<typeof preActivation>, ReturnType<typeof preActivation>];
    // r = σ(·), z = σ(·), n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)), h_t = (1−z)⊙n + z⊙h_{t−1}
    const r = pr.ih.map((v, j) => sigmoid(v + pr.hh[j]!));
    const z = pz.ih.map((v, j) => sigmoid(v + pz.hh[j]!));
    const n = pn.ih.map((v, j) => Math.tanh(v + r[j]! * pn.hh[j]!));
    h = h.map((hj, j) => (1 - z[j]!) * n[j]! + z[j]! * hj);
    out.push({ r, z, n, h });
  }
  return out;
}

/** x[b] as [t][k] arrays. */
function sequence(x: tf.Tensor3D, b: number): number[][] {
  const [, T, I] = x.shape;
  const data = x.dataSync();
  return Array.from({ length: T }, (_, t) => Array.from({ length: I }, (_, k) => data[(b * T + t) * I + k]!));
}

/** Largest |recorded[b, t, j] − expected(t, j)| over t < length. */
function gap(recorded: tf.Tensor3D, b: number, length: number, expected: (t: number, j: number) => number): number {
  const [, T, H] = recorded.shape;
  const data = recorded.dataSync();
  let m = 0;
  for (let t = 0; t < length; t++) for (let j = 0; j < H; j++) m = Math.max(m, Math.abs(data[(b * T + t) * H + j]! - expected(t, j)));
  return m;
}

describe('recordGates', () => {
  it('records LSTM gates i, f, g, o and c_t equal to the cell equations computed by hand (within 1e-5), 0 past each length', () => {
    const before = tf.memory().numTensors;
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 7, implementation: 'step' });
    const x = randomInput(1, [2, 6, 3]);
    const rec = recordGates(lstm, x, { lengths: [6, 4] });
    expect(rec.kind).toBe('lstm');
    if (rec.kind !== 'lstm') return;
    const w = weightsOf(lstm);
    for (const [b, length] of [[0, 6], [1, 4]] as const) {
      const hand = lstmByHand(w, 4, sequence(x, b).slice(0, length));
      expect(gap(rec.gates.input, b, length, (t, j) => hand[t]!.i[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.gates.forget, b, length, (t, j) => hand[t]!.f[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.gates.cell, b, length, (t, j) => hand[t]!.g[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.gates.output, b, length, (t, j) => hand[t]!.o[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.cellState, b, length, (t, j) => hand[t]!.c[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.hidden, b, length, (t, j) => hand[t]!.h[j]!)).toBeLessThan(1e-5);
    }
    // Past sequence 1's length (4) everything recorded is 0.
    const forget = rec.gates.forget.arraySync();
    expect(forget[1]![4]!.every((v) => v === 0) && forget[1]![5]!.every((v) => v === 0)).toBe(true);
    // The recorded h is the layer's own output (same lengths).
    const { output, hidden, cell } = lstm.forward(x, { lengths: [6, 4] });
    expect(maxAbsDiffTensors(rec.hidden, output)).toBeLessThan(1e-5);
    disposeGateRecording(rec);
    tf.dispose([x, output, hidden, ...(cell ? [cell] : [])]);
    lstm.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('records GRU gates r, z, n equal to the PyTorch GRU equations computed by hand (within 1e-5)', () => {
    const before = tf.memory().numTensors;
    const gru = new GRU({ inputSize: 3, hiddenSize: 5, seed: 3 });
    const x = randomInput(2, [2, 7, 3]);
    const rec = recordGates(gru, x);
    expect(rec.kind).toBe('gru');
    if (rec.kind !== 'gru') return;
    const w = weightsOf(gru);
    for (const b of [0, 1]) {
      const hand = gruByHand(w, 5, sequence(x, b));
      expect(gap(rec.gates.reset, b, 7, (t, j) => hand[t]!.r[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.gates.update, b, 7, (t, j) => hand[t]!.z[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.gates.candidate, b, 7, (t, j) => hand[t]!.n[j]!)).toBeLessThan(1e-5);
      expect(gap(rec.hidden, b, 7, (t, j) => hand[t]!.h[j]!)).toBeLessThan(1e-5);
    }
    disposeGateRecording(rec);
    x.dispose();
    gru.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('records any layer and direction of a stacked bidirectional LSTM, matching the layer output', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 5 });
    const x = randomInput(4, [3, 5, 3]);
    const lengths = [5, 2, 4];
    const { output } = lstm.forward(x, { lengths });
    const back = recordGates(lstm, x, { lengths, direction: 'backward' });
    const fwd = recordGates(lstm, x, { lengths });
    expect(back.layer).toBe(1);
    expect(maxAbsDiffTensors(back.hidden, tf.slice(output, [0, 0, 4], [3, 5, 4]))).toBeLessThan(1e-5);
    expect(maxAbsDiffTensors(fwd.hidden, tf.slice(output, [0, 0, 0], [3, 5, 4]))).toBeLessThan(1e-5);
    // c_t = f⊙c_{t−1} + i⊙g holds between consecutive recorded steps.
    if (fwd.kind === 'lstm') {
      const [f, i, g, c] = [fwd.gates.forget, fwd.gates.input, fwd.gates.cell, fwd.cellState].map((t) => t.arraySync()) as [number[][][], number[][][], number[][][], number[][][]];
      for (let t = 1; t < 5; t++) {
        for (let j = 0; j < 4; j++) expect(c[0]![t]![j]!).toBeCloseTo(f[0]![t]![j]! * c[0]![t - 1]![j]! + i[0]![t]![j]! * g[0]![t]![j]!, 5);
      }
    }
    const bottom = recordGates(lstm, x, { layer: 0 });
    expect(bottom.hidden.shape).toEqual([3, 5, 4]);
    for (const r of [back, fwd, bottom]) disposeGateRecording(r);
    tf.dispose([x, output]);
    lstm.dispose();
  });

  it.each(GATE_FIXTURES.map((f) => [f.kind, f] as const))('records the %s gates PyTorch computes from nn.LSTM / nn.GRU weights (within 1e-5)', (_kind, f) => {
    const before = tf.memory().numTensors;
    const Layer = f.kind === 'lstm' ? LSTM : GRU;
    const layer = new Layer({ inputSize: f.inputSize, hiddenSize: f.hiddenSize });
    layer.loadTorchStateDict(Object.fromEntries(Object.entries(f.stateDict).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.data) }])));
    const x = toTensor(f.x) as tf.Tensor3D;
    const rec = recordGates(layer, x);
    const gates = rec.gates as unknown as Record<string, tf.Tensor3D>;
    expect(Object.keys(gates).sort()).toEqual(Object.keys(f.gates).sort());
    for (const [name, expected] of Object.entries(f.gates)) expect(maxAbsDiff(gates[name]!, expected)).toBeLessThan(1e-5);
    if (rec.kind === 'lstm') expect(maxAbsDiff(rec.cellState, f.cellState!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(rec.hidden, f.hidden)).toBeLessThan(1e-5);
    disposeGateRecording(rec);
    x.dispose();
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['torch-lstm-1l-uni', 'torch-gru-1l-uni'])('reproduces the PyTorch output of fixture %s from the recorded step path (within 1e-5)', (name) => {
    const f = loadTorchFixtures().find((fx) => `torch-${fx.name}` === name)!;
    expect(f).toBeDefined();
    const Layer = f.kind === 'lstm' ? LSTM : GRU;
    const layer = new Layer({ inputSize: f.config.inputSize, hiddenSize: f.config.hiddenSize, batchFirst: f.config.batchFirst });
    const sd = Object.fromEntries(Object.entries(f.stateDict).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.data) }]));
    layer.loadTorchStateDict(sd);
    const x = toTensor(f.x) as tf.Tensor3D;
    const rec = recordGates(layer, x);
    const hidden = f.config.batchFirst ? rec.hidden : tf.transpose(rec.hidden, [1, 0, 2]);
    expect(maxAbsDiff(hidden, f.expected.output)).toBeLessThan(1e-5);
    disposeGateRecording(rec);
    tf.dispose([x, hidden]);
    layer.dispose();
  });

  it('records through a token model (embedding, then the recurrent layer)', () => {
    const model = new SequenceModel({ kind: 'gru', vocabSize: 11, embeddingDim: 4, hiddenSize: 6, outputSize: 11, pooling: 'none', seed: 2 });
    const ids = tf.tensor2d([[1, 2, 3], [4, 5, 10]], [2, 3], 'int32');
    const rec = recordGates(model, ids);
    const embedded = model.embedding!.forward(ids) as tf.Tensor3D;
    const direct = recordGates(model.rnn, embedded);
    expect(rec.kind === 'gru' && direct.kind === 'gru' && maxAbsDiffTensors(rec.gates.update, direct.gates.update)).toBe(0);
    for (const r of [rec, direct]) disposeGateRecording(r);
    tf.dispose([ids, embedded]);
    model.dispose();
  });

  it('rejects a vanilla RNN, unknown options, a missing layer and a backward direction of a unidirectional layer', () => {
    const x = randomInput(1, [1, 2, 3]);
    const rnn = new SimpleRNN({ inputSize: 3, hiddenSize: 2 });
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 2 });
    expect(() => recordGates(rnn, x)).toThrow(/a vanilla RNN has no gates/);
    expect(() => recordGates(lstm, x, { lenghts: [2] } as never)).toThrow(OptionsError);
    expect(() => recordGates(lstm, x, { layer: 1 })).toThrow(ArgumentError);
    expect(() => recordGates(lstm, x, { direction: 'backward' })).toThrow(/not bidirectional/);
    expect(() => recordGates(lstm, x, { lengths: [3] })).toThrow(ArgumentError);
    expect(() => recordGates(lstm, randomInput(1, [1, 2, 4]))).toThrow(/\[B, T, 3\]/);
    tf.dispose(x);
    rnn.dispose();
    lstm.dispose();
  });
});
