import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { GatedError, Rng, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedAvailable, fusedGruSequence, fusedLstmSequence, fusedSgemm } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function naiveGemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return c;
}

describe('fusedSgemm', () => {
  it.each([
    [1, 1, 1],
    [5, 13, 7],
    [33, 70, 19],
    [1, 40, 9],
    [1, 1024, 256],
    [32, 512, 128],
  ])('matches a float64 product within 1e-5 relative for %i×%i·%i (tile edges included)', (m, n, k) => {
    const rng = new Rng(m * 1000 + n);
    const a = rng.uniformArray(m * k, -1, 1), b = rng.uniformArray(k * n, -1, 1);
    const got = fusedSgemm(a, b, m, n, k);
    const want = naiveGemm(a, b, m, n, k);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.sqrt(k) + 1e-5 * Math.abs(want[i]!));
  });
});

describe('fused sequence API', () => {
  const B = 2, T = 4, I = 3, H = 5;
  const rng = new Rng(7);
  const vals = (n: number) => rng.uniformArray(n, -0.5, 0.5);
  const t1 = (n: number) => tf.tensor1d(vals(n));
  const t2 = (r: number, c: number) => tf.tensor2d(vals(r * c), [r, c]);
  const t3 = (a: number, b: number, c: number) => tf.tensor3d(vals(a * b * c), [a, b, c]);

  it('is available in Node', () => {
    expect(fusedAvailable()).toBe(true);
  });

  it('runs inference without a gradient tape and leaves no tensor behind', () => {
    const w = { weightIh: t2(4 * H, I), weightHh: t2(4 * H, H) };
    const x = t3(B, T, I);
    const before = tf.memory().numTensors;
    const res = fusedLstmSequence(x, w, { lengths: [4, 2] });
    expect(res.output.shape).toEqual([B, T, H]);
    expect(res.h.shape).toEqual([B, H]);
    expect(res.c.shape).toEqual([B, H]);
    // steps past a row's length output 0, as PyTorch's pad_packed_sequence
    expect(Array.from(res.output.dataSync().slice((T + 2) * H, (T + 4) * H))).toEqual(new Array(2 * H).fill(0));
    tf.dispose([res.output, res.h, res.c]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...Object.values(w)]);
  });

  it('gives the same values inside and outside a gradient tape', () => {
    const w = { weightIh: t2(3 * H, I), weightHh: t2(3 * H, H), biasIh: t1(3 * H), biasHh: t1(3 * H) };
    const x = t3(B, T, I);
    const plain = tf.tidy(() => Array.from(fusedGruSequence(x, w).output.dataSync()));
    let taped: number[] = [];
    const g = tf.grad((xs: tf.Tensor) => {
      const out = fusedGruSequence(xs as tf.Tensor3D, w).output;
      taped = Array.from(out.dataSync());
      return tf.sum(out);
    })(x);
    expect(taped).toEqual(plain);
    tf.dispose([g, x, ...Object.values(w)]);
  });

  it('rejects weights of the wrong shape, naming the argument', () => {
    const x = t3(B, T, I);
    const bad = { weightIh: t2(4 * H, I + 1), weightHh: t2(4 * H, H) };
    const run = () => fusedLstmSequence(x, bad);
    expect(run).toThrow(GatedError);
    expect(run).toThrow(/weightIh: expected shape \[\?, 3\], got shape \[20, 4\]/);
    const w = { weightIh: t2(4 * H, I), weightHh: t2(4 * H, H) };
    expect(() => fusedLstmSequence(x, w, { lengths: [4, 5] })).toThrow(/lengths\[1\]: expected an integer in 0\.\.4, got 5/);
    expect(() => fusedLstmSequence(x, { ...w, weightCi: t1(H) })).toThrow(/all three or none/);
    tf.dispose([x, ...Object.values(bad), ...Object.values(w)]);
  });
});
