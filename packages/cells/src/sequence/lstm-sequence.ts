import * as tf from '@tensorflow/tfjs-core';
import { type SequenceContext, type SequenceRun, columnSums, inputProjection, mm, mmRows, mmT, sigmoid, take } from './sequence-math.js';

/**
 * LSTM over a whole sequence with a hand-written backward (BPTT). The forward keeps, per step, the gate
 * activations and cell states; the backward walks time in reverse with one recurrent matMul per step
 * (plus one for the projection) and then forms every weight gradient with a single matMul over all steps.
 */
export function lstmSequence(ctx: SequenceContext): SequenceRun {
  const { cfg, T, B, I, reverse, alive, rd } = ctx;
  const H = cfg.hiddenSize;
  const G = 4 * H;
  const proj = cfg.projSize > 0;
  const P = proj ? cfg.projSize : H;
  const TB = T * B;
  const width = P + H;

  const xp = inputProjection(ctx.x2, ctx.w['weight_ih']!);
  const bias = ctx.w['bias_ih'] ? tf.tidy(() => take(tf.add(ctx.w['bias_ih']!, ctx.w['bias_hh']!))) : null;
  if (bias) for (let r = 0; r < TB; r++) for (let j = 0; j < G; j++) xp[r * G + j]! += bias[j]!;
  const wHhT = tf.transpose(ctx.w['weight_hh']!) as tf.Tensor2D;
  const wHrT = proj ? (tf.transpose(ctx.w['weight_hr']!) as tf.Tensor2D) : null;
  const peep = cfg.peepholes;
  const ci = peep ? ctx.w['weight_ci']!.dataSync() : null;
  const cf = peep ? ctx.w['weight_cf']!.dataSync() : null;
  const co = peep ? ctx.w['weight_co']!.dataSync() : null;

  const act = new Float32Array(TB * G); // i, f, g, o after their nonlinearities
  const cPrevS = new Float32Array(TB * H);
  const cNewS = new Float32Array(TB * H);
  const tanhC = new Float32Array(TB * H);
  const hInS = new Float32Array(TB * P); // h_{t−1}⊙mask: the recurrent matMul's input
  const mhS = proj ? new Float32Array(TB * H) : null; // o⊙tanh(c) before the projection
  const value = new Float32Array(TB * width);
  const h = Float32Array.from(ctx.h0);
  const c = Float32Array.from(ctx.c0!);
  const mh = new Float32Array(B * H);

  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const hIn = hInS.subarray(t * B * P, (t + 1) * B * P);
    for (let k = 0; k < B * P; k++) hIn[k] = rd ? h[k]! * rd[k]! : h[k]!;
    const rec = mm(hIn, B, P, wHhT);
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      if (alive && !alive[r]) continue;
      const base = r * G;
      for (let j = 0; j < H; j++) {
        const cp = c[b * H + j]!;
        let ai = xp[base + j]! + rec[b * G + j]!;
        let af = xp[base + H + j]! + rec[b * G + H + j]!;
        const ag = xp[base + 2 * H + j]! + rec[b * G + 2 * H + j]!;
        let ao = xp[base + 3 * H + j]! + rec[b * G + 3 * H + j]!;
        if (peep) {
          ai += ci![j]! * cp;
          af += cf![j]! * cp;
        }
        const i = sigmoid(ai);
        const f = sigmoid(af);
        const g = Math.tanh(ag);
        // c_t = f⊙c_{t−1} + i⊙g
        const cn = f * cp + i * g;
        if (peep) ao += co![j]! * cn;
        const o = sigmoid(ao);
        const tc = Math.tanh(cn);
        act[base + j] = i;
        act[base + H + j] = f;
        act[base + 2 * H + j] = g;
        act[base + 3 * H + j] = o;
        cPrevS[r * H + j] = cp;
        cNewS[r * H + j] = cn;
        tanhC[r * H + j] = tc;
        c[b * H + j] = cn;
        // h_t = o⊙tanh(c_t)
        mh[b * H + j] = o * tc;
      }
    }
    const hNew = proj ? mm(mh, B, H, wHrT!) : mh;
    if (mhS) mhS.set(mh, t * B * H);
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      if (!alive || alive[r]) for (let k = 0; k < P; k++) h[b * P + k] = hNew[b * P + k]!;
      value.set(h.subarray(b * P, (b + 1) * P), r * width);
      value.set(c.subarray(b * H, (b + 1) * H), r * width + P);
    }
  }
  wHhT.dispose();
  wHrT?.dispose();

  return {
    value,
    width,
    backward(dy, x2, w) {
      const dA = new Float32Array(TB * G);
      const dAT = new Float32Array(G * TB);
      const dHrT = proj ? new Float32Array(P * TB) : null;
      const dci = peep ? new Float64Array(H) : null;
      const dcf = peep ? new Float64Array(H) : null;
      const dco = peep ? new Float64Array(H) : null;
      let dh = new Float32Array(B * P);
      let dc = new Float32Array(B * H);
      const totH = new Float32Array(B * P);
      const totC = new Float32Array(B * H);
      const wHh = w['weight_hh']!;
      const wHr = w['weight_hr'];
      for (let s = T - 1; s >= 0; s--) {
        const t = reverse ? T - 1 - s : s;
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          for (let k = 0; k < P; k++) totH[b * P + k] = dh[b * P + k]! + dy[r * width + k]!;
          for (let j = 0; j < H; j++) totC[b * H + j] = dc[b * H + j]! + dy[r * width + P + j]!;
        }
        let dmh: Float32Array = totH;
        if (proj) {
          const dOut = new Float32Array(B * P);
          for (let b = 0; b < B; b++) {
            const r = t * B + b;
            if (alive && !alive[r]) continue;
            for (let k = 0; k < P; k++) {
              dOut[b * P + k] = totH[b * P + k]!;
              dHrT![k * TB + r] = totH[b * P + k]!;
            }
          }
          // h = m·W_hrᵀ, so dm = dh·W_hr
          dmh = mm(dOut, B, P, wHr as tf.Tensor2D);
        }
        const dcPrev = new Float32Array(B * H);
        const daStep = dA.subarray(t * B * G, (t + 1) * B * G);
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          if (alive && !alive[r]) {
            dcPrev.set(totC.subarray(b * H, (b + 1) * H), b * H);
            continue;
          }
          const base = r * G;
          for (let j = 0; j < H; j++) {
            const i = act[base + j]!;
            const f = act[base + H + j]!;
            const g = act[base + 2 * H + j]!;
            const o = act[base + 3 * H + j]!;
            const tc = tanhC[r * H + j]!;
            const cp = cPrevS[r * H + j]!;
            const d = dmh[b * H + j]!;
            let dcn = totC[b * H + j]! + d * o * (1 - tc * tc);
            const dao = d * tc * o * (1 - o);
            if (peep) {
              dcn += dao * co![j]!;
              dco![j]! += dao * cNewS[r * H + j]!;
            }
            const dai = dcn * g * i * (1 - i);
            const daf = dcn * cp * f * (1 - f);
            const dag = dcn * i * (1 - g * g);
            let dcp = dcn * f;
            if (peep) {
              dcp += dai * ci![j]! + daf * cf![j]!;
              dci![j]! += dai * cp;
              dcf![j]! += daf * cp;
            }
            dA[base + j] = dai;
            dA[base + H + j] = daf;
            dA[base + 2 * H + j] = dag;
            dA[base + 3 * H + j] = dao;
            dAT[j * TB + r] = dai;
            dAT[(H + j) * TB + r] = daf;
            dAT[(2 * H + j) * TB + r] = dag;
            dAT[(3 * H + j) * TB + r] = dao;
            dcPrev[b * H + j] = dcp;
          }
        }
        // a = … + W_hh h_{t−1}, so dh_{t−1} = da·W_hh (masked like the forward input)
        const dhIn = mm(daStep, B, G, wHh as tf.Tensor2D);
        const next = new Float32Array(B * P);
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          const dead = alive !== null && !alive[r];
          for (let k = 0; k < P; k++) {
            const q = b * P + k;
            next[q] = dead ? totH[q]! : rd ? dhIn[q]! * rd[q]! : dhIn[q]!;
          }
        }
        dh = next;
        dc = dcPrev;
      }
      const dw: Record<string, tf.Tensor> = {
        weight_ih: mmT(dAT, G, TB, x2, I),
        weight_hh: mmT(dAT, G, TB, hInS, P),
      };
      if (w['bias_ih']) {
        dw['bias_ih'] = columnSums(dA, TB, G);
        dw['bias_hh'] = columnSums(dA, TB, G);
      }
      if (proj) dw['weight_hr'] = mmT(dHrT!, P, TB, mhS!, H);
      if (peep) {
        dw['weight_ci'] = tf.tensor1d(Float32Array.from(dci!));
        dw['weight_cf'] = tf.tensor1d(Float32Array.from(dcf!));
        dw['weight_co'] = tf.tensor1d(Float32Array.from(dco!));
      }
      return { dx2: mmRows(dA, TB, G, w['weight_ih']!), dw, dh0: dh, dc0: dc };
    },
  };
}
