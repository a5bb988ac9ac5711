// The CTC forward–backward recursion of Graves et al. (2006) in log space, for one sequence, over a plain typed
// array. A tight JS loop beats tfjs ops here by orders of magnitude: the recursion is sequential in t and each
// step touches only 2L+1 states.

/** One sequence of a [T, B, C] (or [B, T, C]) log-probability buffer, and its target. */
export interface CtcSequence {
  /** The whole log-probability buffer. */
  readonly logProbs: Float32Array;
  /** Index of (t = 0, this sequence, c = 0). */
  readonly offset: number;
  /** Distance between consecutive time steps of this sequence. */
  readonly strideT: number;
  readonly numClasses: number;
  readonly inputLength: number;
  /** Labels l_1 … l_L (never the blank). */
  readonly target: Int32Array;
  readonly blank: number;
}

/** log(e^a + e^b + e^c) with −∞ handled, accumulated in float64. */
function logSumExp3(a: number, b: number, c: number): number {
  const m = Math.max(a, b, c);
  if (m === Number.NEGATIVE_INFINITY) return m;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** Label of extended position s of l' = (blank, l_1, blank, l_2, …, l_L, blank). */
function prime(target: Int32Array, blank: number, s: number): number {
  return (s & 1) === 0 ? blank : target[s >> 1]!;
}

/**
 * Forward variables α_t(s) = log Σ over alignment prefixes of l'_{1..s} ending at t (each including the
 * emission at t), row-major [inputLength, 2L+1], and the negative log-likelihood −log p(l | x).
 */
export function ctcAlpha(seq: CtcSequence): { readonly alpha: Float64Array; readonly nll: number } {
  const { logProbs: lp, offset, strideT, inputLength: T, target, blank } = seq;
  const L = target.length;
  const S = 2 * L + 1;
  const alpha = new Float64Array(Math.max(T, 1) * S).fill(Number.NEGATIVE_INFINITY);
  if (T === 0) return { alpha, nll: L === 0 ? 0 : Number.POSITIVE_INFINITY };
  alpha[0] = lp[offset + blank]!;
  if (L > 0) alpha[1] = lp[offset + target[0]!]!;
  for (let t = 1; t < T; t++) {
    const row = t * S;
    const prev = row - S;
    const at = offset + t * strideT;
    for (let s = 0; s < S; s++) {
      const label = prime(target, blank, s);
      const a1 = alpha[prev + s]!;
      const a2 = s > 0 ? alpha[prev + s - 1]! : Number.NEGATIVE_INFINITY;
      // α_t(s) = y_t(l'_s) · (α_{t−1}(s) + α_{t−1}(s−1) [+ α_{t−1}(s−2) when l'_s ≠ blank and l'_s ≠ l'_{s−2}])
      const a3 = s > 1 && label !== prime(target, blank, s - 2) ? alpha[prev + s - 2]! : Number.NEGATIVE_INFINITY;
      alpha[row + s] = logSumExp3(a1, a2, a3) + lp[at + label]!;
    }
  }
  const last = (T - 1) * S;
  // p(l | x) = α_T(|l'|) + α_T(|l'| − 1)
  const logLikelihood = L === 0 ? alpha[last]! : logSumExp3(alpha[last + S - 1]!, alpha[last + S - 2]!, Number.NEGATIVE_INFINITY);
  return { alpha, nll: -logLikelihood };
}

/**
 * Writes ∂loss/∂logProbs of this sequence into `grad` (same layout as the log-probs), scaled by `scale`, with
 * PyTorch's formula: grad_t(c) = exp(lp_t(c)) − exp(log Σ_{s: l'_s = c} α_t(s)β_t(s) + nll − lp_t(c)). This is the
 * gradient with respect to the logits under a log-softmax, which is what PyTorch returns for its log-prob input
 * (it equals the true gradient after the log-softmax's own backward). Steps t ≥ inputLength are left untouched.
 */
export function ctcGradient(seq: CtcSequence, alpha: Float64Array, nll: number, scale: number, grad: Float32Array): void {
  const { logProbs: lp, offset, strideT, numClasses: C, inputLength: T, target, blank } = seq;
  if (T === 0) return;
  const L = target.length;
  const S = 2 * L + 1;
  // β over a rolling pair of rows: β_t(s) = y_t(l'_s) · (β_{t+1}(s) + β_{t+1}(s+1) [+ β_{t+1}(s+2)]).
  let next = new Float64Array(S).fill(Number.NEGATIVE_INFINITY);
  let cur = new Float64Array(S).fill(Number.NEGATIVE_INFINITY);
  // log Σ_{s: l'_s = c} α_t(s)β_t(s), per class, for the current t.
  const occupancy = new Float64Array(C);
  for (let t = T - 1; t >= 0; t--) {
    const at = offset + t * strideT;
    cur.fill(Number.NEGATIVE_INFINITY);
    if (t === T - 1) {
      cur[S - 1] = lp[at + blank]!;
      if (L > 0) cur[S - 2] = lp[at + target[L - 1]!]!;
    } else {
      for (let s = S - 1; s >= 0; s--) {
        const label = prime(target, blank, s);
        const b1 = next[s]!;
        const b2 = s < S - 1 ? next[s + 1]! : Number.NEGATIVE_INFINITY;
        const b3 = s < S - 2 && label !== prime(target, blank, s + 2) ? next[s + 2]! : Number.NEGATIVE_INFINITY;
        cur[s] = logSumExp3(b1, b2, b3) + lp[at + label]!;
      }
    }
    occupancy.fill(Number.NEGATIVE_INFINITY);
    const row = t * S;
    for (let s = 0; s < S; s++) {
      const label = prime(target, blank, s);
      const ab = alpha[row + s]! + cur[s]!;
      const acc = occupancy[label]!;
      if (acc === Number.NEGATIVE_INFINITY) occupancy[label] = ab;
      else occupancy[label] = logSumExp3(acc, ab, Number.NEGATIVE_INFINITY);
    }
    for (let c = 0; c < C; c++) {
      const v = lp[at + c]!;
      grad[at + c] = (Math.exp(v) - Math.exp(occupancy[c]! + nll - v)) * scale;
    }
    const swap = next;
    next = cur;
    cur = swap;
  }
}
