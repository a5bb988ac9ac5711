import { Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM } from './layer/lstm.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * A float64 reference of the peephole LSTM (Gers & Schmidhuber; ONNX's P): i and f see c_{t−1}, o sees c_t.
 * Written from the equations, independent of the tfjs code; returns h_t for every t, [B][T][H].
 */
function reference(w: Record<string, Float64Array>, x: Float64Array, B: number, T: number, I: number, H: number): number[][][] {
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(H).fill(0);
    let c = new Array<number>(H).fill(0);
    const rows: number[][] = [];
    for (let t = 0; t < T; t++) {
      const a = new Array<number>(4 * H).fill(0);
      for (let g = 0; g < 4 * H; g++) {
        let s = w['bias_ih_l0']![g]! + w['bias_hh_l0']![g]!;
        for (let k = 0; k < I; k++) s += w['weight_ih_l0']![g * I + k]! * x[(b * T + t) * I + k]!;
        for (let k = 0; k < H; k++) s += w['weight_hh_l0']![g * H + k]! * h[k]!;
        a[g] = s;
      }
      const cNew = new Array<number>(H);
      const hNew = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        const i = sig(a[j]! + w['weight_ci_l0']![j]! * c[j]!);
        const f = sig(a[H + j]! + w['weight_cf_l0']![j]! * c[j]!);
        const g = Math.tanh(a[2 * H + j]!);
        cNew[j] = f * c[j]! + i * g;
        const o = sig(a[3 * H + j]! + w['weight_co_l0']![j]! * cNew[j]!);
        hNew[j] = o * Math.tanh(cNew[j]!);
      }
      h = hNew;
      c = cNew;
      rows.push(h);
    }
    out.push(rows);
  }
  return out;
}

describe('peephole LSTM', () => {
  it.each(['step', 'sequence', 'fused'] as const)('the %s implementation matches a float64 reference within 1e-5', (implementation) => {
    const [B, T, I, H] = [3, 6, 4, 5];
    const lstm = new LSTM({ inputSize: I, hiddenSize: H, peepholes: true, seed: 9, implementation });
    // Peephole weights start at U(−1/√H, 1/√H); scale them up so the test notices if they are ignored.
    for (const k of ['weight_ci_l0', 'weight_cf_l0', 'weight_co_l0']) {
      const v = lstm.parameters()[k]!;
      v.assign(tf.tidy(() => tf.mul(v, 4)));
    }
    const w = Object.fromEntries(Object.entries(lstm.parameters()).map(([k, v]) => [k, Float64Array.from(v.dataSync())]));
    const xs = new Rng(4).normalArray(B * T * I);
    const x = tf.tensor3d(xs, [B, T, I]);
    const { output, hidden, cell } = lstm.forward(x);
    const ref = reference(w, Float64Array.from(xs), B, T, I, H);
    const got = output.arraySync() as number[][][];
    let maxDiff = 0;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) maxDiff = Math.max(maxDiff, Math.abs(got[b]![t]![j]! - ref[b]![t]![j]!));
    expect(maxDiff).toBeLessThan(1e-5);
    // Without the peepholes the result must differ (the reference is sensitive to them).
    const plain = reference({ ...w, weight_ci_l0: new Float64Array(H), weight_cf_l0: new Float64Array(H), weight_co_l0: new Float64Array(H) }, Float64Array.from(xs), B, T, I, H);
    expect(Math.abs(plain[0]![T - 1]![0]! - ref[0]![T - 1]![0]!)).toBeGreaterThan(1e-3);
    tf.dispose([x, output, hidden, cell!]);
    lstm.dispose();
  });
});
