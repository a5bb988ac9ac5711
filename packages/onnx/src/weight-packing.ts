/**
 * PyTorch ↔ ONNX weight layouts for the recurrent operators.
 *
 * PyTorch keeps per direction weight_ih [G·H, in], weight_hh [G·H, H], bias_ih, bias_hh [G·H] with gate blocks
 * LSTM i,f,g,o and GRU r,z,n. ONNX stacks directions: W [dirs, G·H, in], R [dirs, G·H, H], B [dirs, 2·G·H]
 * (Wb then Rb) with gate blocks LSTM i,o,f,c and GRU z,r,h, and LSTM peepholes P [dirs, 3·H] as i,o,f.
 */
import { GATE_COUNT, GATE_ORDER, type GruUpdateGate } from '@gated/cells';
import {
  dirs,
  layerInputSize,
  outSize,
  type RecurrentKind,
  type RecurrentSpec,
  weight,
} from './recurrent-spec.js';

/** ONNX's gate blocks named as in PyTorch's {@link GATE_ORDER}: LSTM i,o,f,c = i,o,f,g; GRU z,r,h = z,r,n. */
const ONNX_GATE_ORDER = {
  lstm: ['i', 'o', 'f', 'g'],
  gru: ['z', 'r', 'n'],
  rnn: ['h'],
} as const satisfies Readonly<Record<RecurrentKind, readonly string[]>>;

const indicesIn = (from: readonly string[], names: readonly string[]): number[] => names.map((g) => from.indexOf(g));

/** ONNX gate block j is PyTorch gate block ONNX_FROM_TORCH[kind][j]. */
export const ONNX_FROM_TORCH: Readonly<Record<RecurrentKind, readonly number[]>> = {
  lstm: indicesIn(GATE_ORDER.lstm, ONNX_GATE_ORDER.lstm), // [0, 3, 1, 2]
  gru: indicesIn(GATE_ORDER.gru, ONNX_GATE_ORDER.gru), // [1, 0, 2]
  rnn: indicesIn(GATE_ORDER.rnn, ONNX_GATE_ORDER.rnn), // [0]
};

/** PyTorch gate block t is ONNX gate block TORCH_FROM_ONNX[kind][t]. */
export const TORCH_FROM_ONNX: Readonly<Record<RecurrentKind, readonly number[]>> = {
  lstm: indicesIn(ONNX_GATE_ORDER.lstm, GATE_ORDER.lstm), // [0, 2, 3, 1]
  gru: indicesIn(ONNX_GATE_ORDER.gru, GATE_ORDER.gru), // [1, 0, 2]
  rnn: indicesIn(ONNX_GATE_ORDER.rnn, GATE_ORDER.rnn), // [0]
};

/** ONNX's index of the GRU update gate z in its z,r,h blocks. */
const ONNX_GRU_Z = ONNX_GATE_ORDER.gru.indexOf('z');

/** Copies `blocks` rows-blocks of `rowsPerBlock`×`cols` from `src` into `dst` at `offset`, in order `perm`. */
function permuteBlocks(
  src: ArrayLike<number>,
  perm: readonly number[],
  rowsPerBlock: number,
  cols: number,
  dst: Float32Array,
  offset: number,
  negateBlock = -1,
): void {
  const blockSize = rowsPerBlock * cols;
  perm.forEach((from, to) => {
    const sign = to === negateBlock ? -1 : 1;
    for (let e = 0; e < blockSize; e++) dst[offset + to * blockSize + e] = sign * src[from * blockSize + e]!;
  });
}

/** One ONNX recurrent node's weights for layer k, ready to become initializers. */
export interface OnnxLayerWeights {
  readonly W: { readonly dims: number[]; readonly data: Float32Array };
  readonly R: { readonly dims: number[]; readonly data: Float32Array };
  readonly B?: { readonly dims: number[]; readonly data: Float32Array };
  readonly P?: { readonly dims: number[]; readonly data: Float32Array };
  /** LSTM projection weight_hr transposed per direction, [dirs, H, projSize], applied to the node's outputs. */
  readonly projection?: { readonly dims: number[]; readonly data: Float32Array };
}

/**
 * Repacks layer k's PyTorch weights into ONNX's W/R/B/P.
 *
 * Projection (LSTM projSize): PyTorch feeds h = W_hr·(o⊙tanh c) back through weight_hh [4H, P]. The ONNX LSTM
 * runs on the unprojected m = o⊙tanh c with R = weight_hh·W_hr [4H, H] (computed in float64), which gives the
 * same gates since weight_hh·h = (weight_hh·W_hr)·m; the projection is then a MatMul on Y and Y_h.
 *
 * Seed-form GRU update gate: h' = (1−z)⊙h + z⊙n equals ONNX's (1−z')⊙n + z'⊙h with z' = 1−z = σ(−a), so the
 * z rows of W, R and both biases are negated.
 */
export function toOnnxLayer(spec: RecurrentSpec, k: number): OnnxLayerWeights {
  const G = GATE_COUNT[spec.kind];
  const H = spec.hiddenSize;
  const D = dirs(spec);
  const inSize = layerInputSize(spec, k);
  const hIn = outSize(spec);
  const perm = ONNX_FROM_TORCH[spec.kind];
  const negate = spec.kind === 'gru' && spec.updateGate === 'chung2014' ? ONNX_GRU_Z : -1;

  const W = new Float32Array(D * G * H * inSize);
  const R = new Float32Array(D * G * H * H);
  const B = spec.bias ? new Float32Array(D * 2 * G * H) : undefined;
  const P = spec.peepholes ? new Float32Array(D * 3 * H) : undefined;
  const proj = spec.projSize > 0 ? new Float32Array(D * H * spec.projSize) : undefined;

  for (let d = 0; d < D; d++) {
    const sfx = `_l${k}${d === 1 ? '_reverse' : ''}`;
    permuteBlocks(weight(spec, `weight_ih${sfx}`, [G * H, inSize]), perm, H, inSize, W, d * G * H * inSize, negate);
    let hh: ArrayLike<number> = weight(spec, `weight_hh${sfx}`, [G * H, hIn]);
    if (proj) {
      const P_ = spec.projSize;
      const hr = weight(spec, `weight_hr${sfx}`, [P_, H]);
      const fused = new Float64Array(G * H * H);
      for (let r = 0; r < G * H; r++) {
        for (let c = 0; c < H; c++) {
          let s = 0;
          for (let p = 0; p < P_; p++) s += hh[r * P_ + p]! * hr[p * H + c]!;
          fused[r * H + c] = s;
        }
      }
      hh = fused;
      for (let c = 0; c < H; c++) for (let p = 0; p < P_; p++) proj[d * H * P_ + c * P_ + p] = hr[p * H + c]!;
    }
    permuteBlocks(hh, perm, H, H, R, d * G * H * H, negate);
    if (B) {
      permuteBlocks(weight(spec, `bias_ih${sfx}`, [G * H]), perm, H, 1, B, d * 2 * G * H, negate);
      permuteBlocks(weight(spec, `bias_hh${sfx}`, [G * H]), perm, H, 1, B, d * 2 * G * H + G * H, negate);
    }
    if (P) {
      P.set(weight(spec, `weight_ci${sfx}`, [H]), d * 3 * H);
      P.set(weight(spec, `weight_co${sfx}`, [H]), d * 3 * H + H);
      P.set(weight(spec, `weight_cf${sfx}`, [H]), d * 3 * H + 2 * H);
    }
  }
  return {
    W: { dims: [D, G * H, inSize], data: W },
    R: { dims: [D, G * H, H], data: R },
    ...(B ? { B: { dims: [D, 2 * G * H], data: B } } : {}),
    ...(P ? { P: { dims: [D, 3 * H], data: P } } : {}),
    ...(proj ? { projection: { dims: [D, H, spec.projSize], data: proj } } : {}),
  };
}

/** ONNX node weights as read from a model (B and P optional), for one layer. */
export interface OnnxNodeWeights {
  readonly W: ArrayLike<number>;
  readonly R: ArrayLike<number>;
  readonly B?: ArrayLike<number>;
  readonly P?: ArrayLike<number>;
}

/**
 * The inverse of toOnnxLayer without projection: ONNX W/R/B/P of layer k back to PyTorch-named weights.
 * `updateGate: 'chung2014'` negates z back. Without B there are no bias weights (a layer with bias: false).
 */
export function fromOnnxLayer(
  kind: RecurrentKind,
  k: number,
  numDirections: 1 | 2,
  hiddenSize: number,
  inputSize: number,
  w: OnnxNodeWeights,
  updateGate: GruUpdateGate = 'torch',
): Record<string, { shape: number[]; data: Float32Array }> {
  const G = GATE_COUNT[kind];
  const H = hiddenSize;
  const perm = TORCH_FROM_ONNX[kind];
  const negTorch = kind === 'gru' && updateGate === 'chung2014' ? perm.indexOf(ONNX_GRU_Z) : -1;
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  const slice = (a: ArrayLike<number>, start: number, len: number): number[] =>
    Array.from({ length: len }, (_, i) => a[start + i]!);
  for (let d = 0; d < numDirections; d++) {
    const sfx = `_l${k}${d === 1 ? '_reverse' : ''}`;
    const wih = new Float32Array(G * H * inputSize);
    permuteBlocks(slice(w.W, d * G * H * inputSize, G * H * inputSize), perm, H, inputSize, wih, 0, negTorch);
    const whh = new Float32Array(G * H * H);
    permuteBlocks(slice(w.R, d * G * H * H, G * H * H), perm, H, H, whh, 0, negTorch);
    out[`weight_ih${sfx}`] = { shape: [G * H, inputSize], data: wih };
    out[`weight_hh${sfx}`] = { shape: [G * H, H], data: whh };
    if (w.B) {
      const bih = new Float32Array(G * H);
      const bhh = new Float32Array(G * H);
      permuteBlocks(slice(w.B, d * 2 * G * H, G * H), perm, H, 1, bih, 0, negTorch);
      permuteBlocks(slice(w.B, d * 2 * G * H + G * H, G * H), perm, H, 1, bhh, 0, negTorch);
      out[`bias_ih${sfx}`] = { shape: [G * H], data: bih };
      out[`bias_hh${sfx}`] = { shape: [G * H], data: bhh };
    }
    if (w.P) {
      out[`weight_ci${sfx}`] = { shape: [H], data: Float32Array.from(slice(w.P, d * 3 * H, H)) };
      out[`weight_co${sfx}`] = { shape: [H], data: Float32Array.from(slice(w.P, d * 3 * H + H, H)) };
      out[`weight_cf${sfx}`] = { shape: [H], data: Float32Array.from(slice(w.P, d * 3 * H + 2 * H, H)) };
    }
  }
  return out;
}
