import * as tf from '@tensorflow/tfjs-core';
import { type SequenceContext, type SequenceRun, columnSums, inputProjection, mm, mmRows, mmT, sigmoid, take } from './sequence-math.js';

/**
 * GRU over a whole sequence with a hand-written backward, in both published forms: reset after the
 * recurrent matrix (PyTorch) or before it (Cho et al.). One recurrent matMul per step (two for reset-before,
 * whose n gate needs r first); weight gradients are single matMuls over all steps.
 */
export function gruSequence(ctx: SequenceContext): SequenceRun {
  const { cfg, T, B, I, reverse, alive, rd } = ctx;
  const H = cfg.hiddenSize;
  const G = 3 * H;
  const TB = T * B;
  const after = cfg.resetAfter;

  const xp = inputProjection(ctx.x2, ctx.w['weight_ih']!);
  const hasBias = ctx.w['bias_ih'] !== undefined;
  if (hasBias) {
    const bih = ctx.w['bias_ih']!.dataSync();
    for (let r = 0; r < TB; r++) for (let j = 0; j < G; j++) xp[r * G + j]! += bih[j]!;
  }
  const bhh = hasBias ? ctx.w['bias_hh']!.dataSync() : new Float32Array(G);
  const whh = ctx.w['weight_hh']! as tf.Tensor2D;
  const wRecT = (after ? tf.transpose(whh) : tf.tidy(() => tf.transpose(tf.slice(whh, [0, 0], [2 * H, H])))) as tf.Tensor2D;
  const wNT = after ? null : (tf.tidy(() => tf.transpose(tf.slice(whh, [2 * H, 0], [H, H]))) as tf.Tensor2D);
  const recWidth = after ? G : 2 * H;

  const R = new Float32Array(TB * H);
  const Z = new Float32Array(TB * H);
  const N = new Float32Array(TB * H);
  const HN = after ? new Float32Array(TB * H) : null; // W_hn h + b_hn (reset-after)
  const RH = after ? null : new Float32Array(TB * H); // r⊙h (reset-before)
  const hPrevS = new Float32Array(TB * H);
  const hInS = new Float32Array(TB * H);
  const value = new Float32Array(TB * H);
  const h = Float32Array.from(ctx.h0);

  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const hIn = hInS.subarray(t * B * H, (t + 1) * B * H);
    for (let k = 0; k < B * H; k++) hIn[k] = rd ? h[k]! * rd[k]! : h[k]!;
    hPrevS.set(h, t * B * H);
    const rec = mm(hIn, B, H, wRecT);
    for (let b = 0; b < B; b++) {
      const base = (t * B + b) * G;
      for (let j = 0; j < H; j++) {
        const q = (t * B + b) * H + j;
        // r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz)
        R[q] = sigmoid(xp[base + j]! + rec[b * recWidth + j]! + bhh[j]!);
        Z[q] = sigmoid(xp[base + H + j]! + rec[b * recWidth + H + j]! + bhh[H + j]!);
        if (after) {
          const hn = rec[b * recWidth + 2 * H + j]! + bhh[2 * H + j]!;
          HN![q] = hn;
          // n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
          N[q] = Math.tanh(xp[base + 2 * H + j]! + R[q]! * hn);
        } else {
          RH![q] = R[q]! * hIn[b * H + j]!;
        }
      }
    }
    if (!after) {
      // n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)
      const recN = mm(RH!.subarray(t * B * H, (t + 1) * B * H), B, H, wNT!);
      for (let b = 0; b < B; b++) {
        const base = (t * B + b) * G;
        for (let j = 0; j < H; j++) N[(t * B + b) * H + j] = Math.tanh(xp[base + 2 * H + j]! + recN[b * H + j]! + bhh[2 * H + j]!);
      }
    }
    for (let b = 0; b < B; b++) {
      const r = t * B + b;
      if (!alive || alive[r]) {
        for (let j = 0; j < H; j++) {
          const q = r * H + j;
          // h_t = (1−z)⊙n + z⊙h_{t−1}
          h[b * H + j] = (1 - Z[q]!) * N[q]! + Z[q]! * h[b * H + j]!;
        }
      }
      value.set(h.subarray(b * H, (b + 1) * H), r * H);
    }
  }
  wRecT.dispose();
  wNT?.dispose();

  return {
    value,
    width: H,
    backward(dy, x2, w) {
      const dXp = new Float32Array(TB * G);
      const dXpT = new Float32Array(G * TB);
      const dHnT = after ? new Float32Array(H * TB) : null; // reset-after: the n rows of dW_hh differ from dXp's
      const dHpStep = new Float32Array(B * recWidth);
      const danStep = new Float32Array(B * H);
      const dhd = new Float32Array(B * H);
      const tot = new Float32Array(B * H);
      const wNow = w['weight_hh']! as tf.Tensor2D;
      const wRec = after ? wNow : (tf.slice(wNow, [0, 0], [2 * H, H]) as tf.Tensor2D);
      const wN = after ? null : (tf.slice(wNow, [2 * H, 0], [H, H]) as tf.Tensor2D);
      let dh = new Float32Array(B * H);
      for (let s = T - 1; s >= 0; s--) {
        const t = reverse ? T - 1 - s : s;
        dHpStep.fill(0);
        danStep.fill(0);
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          for (let j = 0; j < H; j++) tot[b * H + j] = dh[b * H + j]! + dy[r * H + j]!;
          if (alive && !alive[r]) continue;
          for (let j = 0; j < H; j++) {
            const q = r * H + j;
            const d = tot[b * H + j]!;
            const z = Z[q]!;
            const n = N[q]!;
            const rr = R[q]!;
            const dan = d * (1 - z) * (1 - n * n);
            const daz = d * (hPrevS[q]! - n) * z * (1 - z);
            dhd[b * H + j] = d * z;
            const base = r * G;
            dXp[base + H + j] = daz;
            dXp[base + 2 * H + j] = dan;
            dXpT[(H + j) * TB + r] = daz;
            dXpT[(2 * H + j) * TB + r] = dan;
            dHpStep[b * recWidth + H + j] = daz;
            if (after) {
              const dar = dan * HN![q]! * rr * (1 - rr);
              dXp[base + j] = dar;
              dXpT[j * TB + r] = dar;
              dHpStep[b * recWidth + j] = dar;
              dHpStep[b * recWidth + 2 * H + j] = dan * rr;
              dHnT![j * TB + r] = dan * rr;
            } else {
              danStep[b * H + j] = dan;
            }
          }
        }
        // reset-before: d(r⊙h) = dan·W_hn; then the r gate and the direct path into h
        const dRH = after ? null : mm(danStep, B, H, wN!);
        if (dRH) {
          for (let b = 0; b < B; b++) {
            const r = t * B + b;
            if (alive && !alive[r]) continue;
            for (let j = 0; j < H; j++) {
              const q = r * H + j;
              const rr = R[q]!;
              const dar = dRH[b * H + j]! * hInS[q]! * rr * (1 - rr);
              dXp[r * G + j] = dar;
              dXpT[j * TB + r] = dar;
              dHpStep[b * recWidth + j] = dar;
            }
          }
        }
        const dhIn = mm(dHpStep, B, recWidth, wRec);
        const next = new Float32Array(B * H);
        for (let b = 0; b < B; b++) {
          const r = t * B + b;
          const dead = alive !== null && !alive[r];
          for (let j = 0; j < H; j++) {
            const k = b * H + j;
            if (dead) {
              next[k] = tot[k]!;
              continue;
            }
            let g = dhIn[k]!;
            if (dRH) g += dRH[k]! * R[r * H + j]!;
            next[k] = (rd ? g * rd[k]! : g) + dhd[k]!;
          }
        }
        dh = next;
      }
      if (!after) {
        wRec.dispose();
        wN!.dispose();
      }
      let dWhh: tf.Tensor;
      if (after) {
        dWhh = tf.tidy(() =>
          tf.concat([mmT(dXpT.subarray(0, 2 * H * TB), 2 * H, TB, hInS, H), mmT(dHnT!, H, TB, hInS, H)], 0),
        );
      } else {
        dWhh = tf.tidy(() =>
          tf.concat([mmT(dXpT.subarray(0, 2 * H * TB), 2 * H, TB, hInS, H), mmT(dXpT.subarray(2 * H * TB), H, TB, RH!, H)], 0),
        );
      }
      const dw: Record<string, tf.Tensor> = { weight_ih: mmT(dXpT, G, TB, x2, I), weight_hh: dWhh };
      if (hasBias) {
        dw['bias_ih'] = columnSums(dXp, TB, G);
        if (after) {
          const db = take(columnSums(dXp, TB, G));
          const dn = take(columnSums(transposeBack(dHnT!, H, TB), TB, H));
          db.set(dn, 2 * H);
          dw['bias_hh'] = tf.tensor1d(db);
        } else {
          dw['bias_hh'] = columnSums(dXp, TB, G);
        }
      }
      return { dx2: mmRows(dXp, TB, G, w['weight_ih']!), dw, dh0: dh, dc0: null };
    },
  };
}

/** [rows, cols] from its transpose [cols, rows]. */
function transposeBack(aT: Float32Array, cols: number, rows: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let r = 0; r < rows; r++) out[r * cols + j] = aT[j * rows + r]!;
  return out;
}
