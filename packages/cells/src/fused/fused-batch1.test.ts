import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { Rng, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RefConfig, type RefParams, finiteDifferences, refForward, refLoss } from './__fixtures__/f64-reference.js';
import { fusedLstmSequence } from './index.js';

// Batch 1 takes its own path: matrix-vector products on W_hh packed in 6-row blocks and kept in wasm memory
// across calls. Ragged sizes (G = 148 is not a multiple of 6, R = 37 and P = 5 not multiples of 4) exercise the
// padded blocks; a padded step (length 17 of 23) the held state.
const T = 23, I = 13, H = 37, G = 4 * H;

interface Case {
  readonly name: string;
  readonly P: number;
  readonly extras: boolean;
}
const CASES: Case[] = [
  { name: 'LSTM', P: 0, extras: false },
  { name: 'LSTM with projection, peepholes, recurrent mask and initial state', P: 5, extras: true },
];

function values(c: Case, seed: number): { params: Record<string, number[]>; shapes: Record<string, number[]>; x: number[]; mask?: number[] } {
  const rng = new Rng(seed);
  const R = c.P || H;
  const shapes: Record<string, number[]> = { wih: [G, I], whh: [G, R], bih: [G], bhh: [G] };
  if (c.P) shapes['whr'] = [c.P, H];
  if (c.extras) Object.assign(shapes, { ci: [H], cf: [H], co: [H], h0: [1, R], c0: [1, H] });
  const params: Record<string, number[]> = {};
  for (const [name, shape] of Object.entries(shapes)) params[name] = Array.from(rng.uniformArray(shape.reduce((a, b) => a * b, 1), -0.3, 0.3));
  const x = Array.from(rng.uniformArray(T * I, -1, 1));
  const mask = c.extras ? Array.from({ length: R }, () => (rng.uniform() < 0.3 ? 0 : 1 / 0.7)) : undefined;
  return { params, shapes, x, ...(mask ? { mask } : {}) };
}

function run(t: Record<string, tf.Tensor>, x: tf.Tensor3D, reverse: boolean, mask?: number[]) {
  const B = x.shape[0];
  return fusedLstmSequence(
    x,
    {
      weightIh: t['wih'] as tf.Tensor2D,
      weightHh: t['whh'] as tf.Tensor2D,
      biasIh: t['bih'] as tf.Tensor1D,
      biasHh: t['bhh'] as tf.Tensor1D,
      ...(t['whr'] ? { weightHr: t['whr'] as tf.Tensor2D } : {}),
      ...(t['ci'] ? { weightCi: t['ci'] as tf.Tensor1D, weightCf: t['cf'] as tf.Tensor1D, weightCo: t['co'] as tf.Tensor1D } : {}),
    },
    {
      reverse,
      lengths: new Array<number>(B).fill(17),
      ...(t['h0'] ? { h0: t['h0'] as tf.Tensor2D, c0: t['c0'] as tf.Tensor2D } : {}),
      ...(mask ? { recurrentMask: Float32Array.from(mask) } : {}),
    },
  );
}

const worstDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

describe.each(['wasm', 'cpu'] as const)('fused LSTM at batch 1 on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: forward within 1e-5 of float64 (inference and taped), sampled gradients within 1e-4', (_name, c, i) => {
    const before = tf.memory().numTensors;
    const v = values(c, 40 + i);
    const R = c.P || H;
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, shape] of Object.entries(v.shapes)) tensors[name] = tf.tensor(v.params[name]!, shape);
    const x = tf.tensor3d(v.x, [1, T, I]);
    const rng = new Rng(60 + i);
    const wo = Array.from(rng.uniformArray(T * R, -1, 1));
    const woT = tf.tensor3d(wo, [1, T, R]);
    for (const reverse of [false, true]) {
      const cfg: RefConfig = { kind: 'lstm', T, B: 1, I, H, P: c.P, reverse, lengths: [17], resetAfter: true, relu: false };
      const ref = refForward(cfg, v.x, v.params as unknown as RefParams, v.mask);
      // twice without a tape (the second call finds W_hh already packed), once under one
      for (let k = 0; k < 2; k++) {
        tf.tidy(() => {
          const res = run(tensors, x, reverse, v.mask);
          expect(worstDiff(res.output.dataSync(), ref.out), 'output').toBeLessThanOrEqual(1e-5);
          expect(worstDiff(res.h.dataSync(), ref.hn), 'h').toBeLessThanOrEqual(1e-5);
          expect(worstDiff(res.c.dataSync(), ref.cn), 'c').toBeLessThanOrEqual(1e-5);
        });
      }
      const [dx, dwhh] = tf.grads((xs: tf.Tensor, whh: tf.Tensor) => {
        const res = run({ ...tensors, whh }, xs as tf.Tensor3D, reverse, v.mask);
        expect(worstDiff(res.output.dataSync(), ref.out), 'taped output').toBeLessThanOrEqual(1e-5);
        return tf.sum(tf.mul(res.output, woT));
      })([x, tensors['whh']!]);
      const zeros = new Array<number>(H).fill(0);
      const loss = () => refLoss(refForward(cfg, v.x, v.params as unknown as RefParams, v.mask), wo, zeros, zeros);
      for (const [name, grad, all] of [['x', dx!, v.x], ['whh', dwhh!, v.params['whh']!]] as const) {
        const g = grad.dataSync();
        for (const j of [...Array.from({ length: 8 }, () => rng.int(all.length)), all.length - 1]) {
          const one = [all[j]!];
          const fd = finiteDifferences(one, () => {
            const saved = all[j]!;
            all[j] = one[0]!;
            const l = loss();
            all[j] = saved;
            return l;
          })[0]!;
          expect(Math.abs(g[j]! - fd), `d${name}[${j}]`).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(fd));
        }
      }
      tf.dispose([dx!, dwhh!]);
    }
    tf.dispose([x, woT, ...Object.values(tensors)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps results exact when the kept packed weights start over (more than 32 MiB of them)', () => {
    const before = tf.memory().numTensors;
    const v = values(CASES[0]!, 70);
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, shape] of Object.entries(v.shapes)) tensors[name] = tf.tensor(v.params[name]!, shape);
    const x = tf.tensor3d(v.x, [1, T, I]);
    const first = tf.tidy(() => run(tensors, x, false).output.dataSync().slice());
    // three distinct 16 MiB W_hh (H = 1024) overflow the 32 MiB kept set, which then starts over
    const Hb = 1024;
    const xb = tf.ones([1, 2, 1]) as tf.Tensor3D;
    for (let k = 0; k < 3; k++) {
      tf.tidy(() => {
        const wb = {
          weightIh: tf.fill([4 * Hb, 1], 0.01) as tf.Tensor2D,
          weightHh: tf.fill([4 * Hb, Hb], 0.001 * (k + 1)) as tf.Tensor2D,
        };
        const out = fusedLstmSequence(xb, wb).h.dataSync();
        expect(Number.isFinite(out[Hb - 1]!)).toBe(true);
      });
    }
    // a batch-3 call in between (GEMM path, arena above the kept floor)
    tf.tidy(() => {
      const x3 = tf.tile(x, [3, 1, 1]) as tf.Tensor3D;
      const out3 = run(tensors, x3, false).output.dataSync();
      expect(worstDiff(out3.subarray(0, T * H), first)).toBeLessThanOrEqual(1e-6);
    });
    const again = tf.tidy(() => run(tensors, x, false).output.dataSync().slice());
    expect(worstDiff(again, first)).toBe(0);
    tf.dispose([x, xb, ...Object.values(tensors)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
