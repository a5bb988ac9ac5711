/**
 * Float64 reference of one direction of one recurrent layer, written as plainly as possible (loops over rows,
 * steps and units), for checking the fused kernels' forward and, by finite differences, their gradients.
 */

export type RefKind = 'lstm' | 'gru' | 'rnn';

export interface RefConfig {
  readonly kind: RefKind;
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  /** LSTM projection size, 0 = none */
  readonly P: number;
  readonly reverse: boolean;
  readonly lengths?: readonly number[];
  readonly resetAfter: boolean;
  readonly relu: boolean;
}

/** Parameters as flat row-major arrays, PyTorch layout. */
export interface RefParams {
  wih: number[];
  whh: number[];
  bih?: number[];
  bhh?: number[];
  whr?: number[];
  ci?: number[];
  cf?: number[];
  co?: number[];
  h0?: number[];
  c0?: number[];
}

export interface RefResult {
  /** time-major [T, B, R] */
  readonly out: number[];
  readonly hn: number[];
  readonly cn: number[];
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

export const gatesOf = (kind: RefKind): number => (kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1);

/** x is time-major [T, B, I]; `mask` is a recurrent-dropout mask [B, R] on h₋₁ where it enters W_hh. */
export function refForward(cfg: RefConfig, x: readonly number[], p: RefParams, mask?: readonly number[]): RefResult {
  const { kind, T, B, I, H, P } = cfg;
  const R = P > 0 ? P : H;
  const G = gatesOf(kind) * H;
  const out = new Array<number>(T * B * R).fill(0);
  const hn: number[] = [];
  const cn: number[] = [];
  // W[j, ·] · v for rows j of a [rows, n] matrix
  const dot = (w: readonly number[], j: number, n: number, v: readonly number[]) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[j * n + k]! * v[k]!;
    return s;
  };
  for (let b = 0; b < B; b++) {
    let h = Array.from({ length: R }, (_, k) => p.h0?.[b * R + k] ?? 0);
    let c = Array.from({ length: H }, (_, k) => p.c0?.[b * H + k] ?? 0);
    const len = cfg.lengths?.[b] ?? T;
    for (let s = 0; s < T; s++) {
      const t = cfg.reverse ? T - 1 - s : s;
      if (t >= len) continue;
      const xt = x.slice((t * B + b) * I, (t * B + b + 1) * I);
      const hin = h.map((v, k) => v * (mask ? mask[b * R + k]! : 1));
      const ax = Array.from({ length: G }, (_, j) => dot(p.wih, j, I, xt) + (p.bih?.[j] ?? 0));
      const ah = Array.from({ length: G }, (_, j) => dot(p.whh, j, R, hin) + (p.bhh?.[j] ?? 0));
      if (kind === 'lstm') {
        const cNew: number[] = [];
        const m: number[] = [];
        for (let j = 0; j < H; j++) {
          const a = (q: number) => ax[q * H + j]! + ah[q * H + j]!;
          const i = sig(a(0) + (p.ci ? p.ci[j]! * c[j]! : 0));
          const f = sig(a(1) + (p.cf ? p.cf[j]! * c[j]! : 0));
          const g = Math.tanh(a(2));
          cNew[j] = f * c[j]! + i * g;
          const o = sig(a(3) + (p.co ? p.co[j]! * cNew[j]! : 0));
          m[j] = o * Math.tanh(cNew[j]!);
        }
        c = cNew;
        h = P > 0 ? Array.from({ length: P }, (_, q) => dot(p.whr!, q, H, m)) : m;
      } else if (kind === 'gru') {
        const r = Array.from({ length: H }, (_, j) => sig(ax[j]! + ah[j]!));
        const z = Array.from({ length: H }, (_, j) => sig(ax[H + j]! + ah[H + j]!));
        let n: number[];
        if (cfg.resetAfter) {
          n = Array.from({ length: H }, (_, j) => Math.tanh(ax[2 * H + j]! + r[j]! * ah[2 * H + j]!));
        } else {
          const rh = hin.map((v, k) => v * r[k]!);
          n = Array.from({ length: H }, (_, j) => Math.tanh(ax[2 * H + j]! + dot(p.whh, 2 * H + j, H, rh) + (p.bhh?.[2 * H + j] ?? 0)));
        }
        h = Array.from({ length: H }, (_, j) => (1 - z[j]!) * n[j]! + z[j]! * h[j]!);
      } else {
        h = Array.from({ length: H }, (_, j) => {
          const a = ax[j]! + ah[j]!;
          return cfg.relu ? Math.max(a, 0) : Math.tanh(a);
        });
      }
      for (let k = 0; k < R; k++) out[(t * B + b) * R + k] = h[k]!;
    }
    hn.push(...h);
    cn.push(...c);
  }
  return { out, hn, cn };
}

/** Σ out⊙wo + Σ hn⊙wh + Σ cn⊙wc */
export function refLoss(res: RefResult, wo: readonly number[], wh: readonly number[], wc: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < res.out.length; i++) s += res.out[i]! * wo[i]!;
  for (let i = 0; i < res.hn.length; i++) s += res.hn[i]! * wh[i]!;
  for (let i = 0; i < wc.length; i++) s += res.cn[i]! * wc[i]!;
  return s;
}

/** Central finite differences of `loss` with respect to every entry of `values` (changed in place and restored). */
export function finiteDifferences(values: number[], loss: () => number, eps = 1e-6): number[] {
  return values.map((v, i) => {
    values[i] = v + eps;
    const up = loss();
    values[i] = v - eps;
    const down = loss();
    values[i] = v;
    return (up - down) / (2 * eps);
  });
}

/** [A, B, F] → [B, A, F] */
export function swapLeadingAxes(src: Float32Array, a: number, b: number, f: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) dst.set(src.subarray((i * b + j) * f, (i * b + j + 1) * f), (j * a + i) * f);
  }
  return dst;
}
