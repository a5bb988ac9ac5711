import * as tf from '@tensorflow/tfjs-core';
import { type SequenceContext, type SequenceRun, columnSums, inputProjection, mm, mmRows, mmT, take } from './sequence-math.js';

/** The vanilla RNN over a whole sequence with a hand-written backward. */
export function rnnSequence(ctx: SequenceContext): SequenceRun {
  const { cfg, T, B, I, reverse, alive, rd } = ctx;
  const H = cfg.hiddenSize;
  const TB = T * B;
  const relu = cfg.nonlinearity === 'relu';

  const xp = inputProjection(ctx.x2, ctx.w['weight_ih']!);
  const bias = ctx.w['bias_ih'] ? tf.tidy(() => take(tf.add(ctx.w['bias_ih']!, ctx.w['bias_hh']!))) : null;
  if (bias) for (let r = 0; r < TB; r++) for (let j = 0; j < H; j++) xp[r * H + j]! += bias[j]!;
  const wHhT = tf.transpose(ctx.w['weight_hh']!) as tf.Tensor2D;
  const hNewS = new Float32Array(TB * H);
  const hInS = new Float32Array(TB * H);
  const value = new Float32Array(TB * H);
  const h = Float32Array.from(ctx.h0);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const hIn = hInS.subarray(t * B * H, (t + 1) * B * H);
    for (let k = 0; k < B * H; k++) hIn[k] = rd ? h[k]! * rd[k]! : h[k]!;
    const rec = mm(hIn, B, H, wHhT);
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      if (!alive || alive[r]) {
        for (let j = 0; j < H; j++) {
          // h_t = tanh(W_ih x + b_ih + W_hh h_{t−1} + b_hh)
          const a = xp[r * H + j]! + rec[b * H + j]!;
          const v = relu ? Math.max(a, 0) : Math.tanh(a);
          hNewS[r * H + j] = v;
          h[b * H + j] = v;
        }
      }
      value.set(h.subarray(b * H, (b + 1) * H), r * H);
    }
  }
  wHhT.dispose();

  return {
    value,
    width: H,
    backward(dy, x2, w) {
      const dA = new Float32Array(TB * H);
      const dAT = new Float32Array(H * TB);
      let dh = new Float32Array(B * H);
      for (let s = T - 1; s >= 0; s--) {
        const t = reverse ? T - 1 - s : s;
        const tot = new Float32Array(B * H);
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          const dead = alive !== null && !alive[r];
          for (let j = 0; j < H; j++) {
            const k = b * H + j;
            tot[k] = dh[k]! + dy[r * H + j]!;
            if (dead) continue;
            const v = hNewS[r * H + j]!;
            const da = tot[k]! * (relu ? (v > 0 ? 1 : 0) : 1 - v * v);
            dA[r * H + j] = da;
            dAT[j * TB + r] = da;
          }
        }
        const dhIn = mm(dA.subarray(t * B * H, (t + 1) * B * H), B, H, w['weight_hh'] as tf.Tensor2D);
        for (let b = 0; b < B; b++) {
          const dead = alive !== null && !alive[t * B + b];
          for (let j = 0; j < H; j++) {
            const k = b * H + j;
            tot[k] = dead ? tot[k]! : rd ? dhIn[k]! * rd[k]! : dhIn[k]!;
          }
        }
        dh = tot;
      }
      const dw: Record<string, tf.Tensor> = { weight_ih: mmT(dAT, H, TB, x2, I), weight_hh: mmT(dAT, H, TB, hInS, H) };
      if (w['bias_ih']) {
        dw['bias_ih'] = columnSums(dA, TB, H);
        dw['bias_hh'] = columnSums(dA, TB, H);
      }
      return { dx2: mmRows(dA, TB, H, w['weight_ih']!), dw, dh0: dh, dc0: null };
    },
  };
}
