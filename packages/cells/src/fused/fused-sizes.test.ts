import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { Rng, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RefConfig, type RefParams, finiteDifferences, refForward, refLoss } from './__fixtures__/f64-reference.js';
import { fusedGruSequence, fusedLstmSequence } from './index.js';

// Sizes that are not multiples of the GEMM tile (4 rows × 8 columns) or of the SIMD width (4), and long enough
// for the wasm arena to grow: forward within 1e-5 of float64, sampled gradient entries within 1e-4.
const T = 23, B = 9, I = 13, H = 37;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe.each(['lstm', 'gru'] as const)('%s at ragged sizes', (kind) => {
  it('matches float64 (forward 1e-5, sampled gradients 1e-4) with lengths, in both directions', () => {
    const rng = new Rng(kind === 'lstm' ? 31 : 32);
    const G = (kind === 'lstm' ? 4 : 3) * H;
    const lengths = Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + rng.int(T)));
    const values: Record<string, number[]> = {
      x: Array.from(rng.uniformArray(T * B * I, -1, 1)),
      wih: Array.from(rng.uniformArray(G * I, -0.3, 0.3)),
      whh: Array.from(rng.uniformArray(G * H, -0.3, 0.3)),
      bih: Array.from(rng.uniformArray(G, -0.3, 0.3)),
      bhh: Array.from(rng.uniformArray(G, -0.3, 0.3)),
    };
    const wo = Array.from(rng.uniformArray(T * B * H, -1, 1));
    const zerosBH = new Array<number>(B * H).fill(0);
    for (const reverse of [false, true]) {
      const cfg: RefConfig = { kind, T, B, I, H, P: 0, reverse, lengths, resetAfter: true, relu: false };
      const ref = refForward(cfg, values['x']!, values as unknown as RefParams);
      const x = tf.tensor3d(values['x']!, [T, B, I]);
      const w = {
        weightIh: tf.tensor2d(values['wih']!, [G, I]),
        weightHh: tf.tensor2d(values['whh']!, [G, H]),
        biasIh: tf.tensor1d(values['bih']!),
        biasHh: tf.tensor1d(values['bhh']!),
      };
      const run = (xs: tf.Tensor3D, whh: tf.Tensor2D) =>
        (kind === 'lstm' ? fusedLstmSequence : fusedGruSequence)(xs, { ...w, weightHh: whh }, { batchFirst: false, reverse, lengths }).output;
      const out = tf.tidy(() => Array.from(run(x, w.weightHh).dataSync()));
      const worst = Math.max(...out.map((v, i) => Math.abs(v - ref.out[i]!)));
      expect(worst).toBeLessThanOrEqual(1e-5);

      const woT = tf.tensor3d(wo, [T, B, H]);
      const [dx, dwih, dwhh] = tf.grads((xs: tf.Tensor, wih: tf.Tensor, whh: tf.Tensor) =>
        tf.sum(tf.mul((kind === 'lstm' ? fusedLstmSequence : fusedGruSequence)(xs as tf.Tensor3D, { ...w, weightIh: wih as tf.Tensor2D, weightHh: whh as tf.Tensor2D }, { batchFirst: false, reverse, lengths }).output, woT)),
      )([x, w.weightIh, w.weightHh]);
      // random entries plus the last row's, which the GEMM handles outside its 4-row tiles when G is not a multiple of 4
      const sample = (n: number, width: number) => [...Array.from({ length: 10 }, () => rng.int(n)), n - 1, n - width, n - 1 - width];
      for (const [name, grad, width] of [['x', dx!, I], ['wih', dwih!, I], ['whh', dwhh!, H]] as const) {
        const g = grad.dataSync();
        const all = values[name]!;
        for (const i of sample(all.length, width)) {
          const one = [all[i]!];
          const fd = finiteDifferences(one, () => {
            const saved = all[i]!;
            all[i] = one[0]!;
            const l = refLoss(refForward(cfg, values['x']!, values as unknown as RefParams), wo, zerosBH, []);
            all[i] = saved;
            return l;
          })[0]!;
          expect(Math.abs(g[i]! - fd), `d${name}[${i}]`).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(fd));
        }
      }
      tf.dispose([x, woT, dx!, dwih!, dwhh!, ...Object.values(w)]);
    }
  });
});
