import * as tf from '@tensorflow/tfjs-core';
import type { CellConfig } from '../cell-config.js';

/** What the TypeScript forward of one kind (lstm-sequence.ts, …) is given for one direction of one layer. */
export interface SequenceContext {
  readonly cfg: CellConfig;
  /** Time steps, batch, input features. */
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly reverse: boolean;
  /** 1 where step t of sequence b is inside its length, at t·B + b; null = all valid. */
  readonly alive: Uint8Array | null;
  /** Recurrent dropout mask [B, P] on h_{t−1} where it enters the recurrent matrices, or null. */
  readonly rd: Float32Array | null;
  /** The input, time-major and flattened: [T·B, I]. */
  readonly x2: tf.Tensor2D;
  readonly w: Readonly<Record<string, tf.Tensor>>;
  readonly h0: Float32Array;
  readonly c0: Float32Array | null;
}

/** Gradients a {@link SequenceRun}'s backward returns. */
export interface SequenceGrads {
  readonly dx2: tf.Tensor2D;
  readonly dw: Readonly<Record<string, tf.Tensor>>;
  readonly dh0: Float32Array;
  readonly dc0: Float32Array | null;
}

/** A forward's result: carried states in time order, [T, B, width], and its backward. */
export interface SequenceRun {
  readonly value: Float32Array;
  readonly width: number;
  backward(dy: Float32Array, x2: tf.Tensor2D, w: Readonly<Record<string, tf.Tensor>>): SequenceGrads;
}

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Reads a tensor's values and disposes it. */
export function take(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** a [rows, cols] (a plain array) times b [cols, n] (a tensor), read back. Plain (non-transposed) matMul only. */
export function mm(a: Float32Array, rows: number, cols: number, b: tf.Tensor2D): Float32Array {
  const at = tf.tensor2d(a, [rows, cols]);
  const r = tf.matMul(at, b);
  at.dispose();
  return take(r);
}

/**
 * aᵀ·b with a [n, m] given already transposed as aT [m, n] (a plain array) and b [n, k] (array or tensor):
 * the batched weight gradient Σ_t δ_tᵀ·v_t. Transposed-operand matMuls are avoided: on wasm they are
 * ~30× slower than plain ones.
 */
export function mmT(aT: Float32Array, m: number, n: number, b: Float32Array | tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.tensor2d(aT, [m, n]), b instanceof tf.Tensor ? b : tf.tensor2d(b, [n, k])));
}

/** x2 [T·B, I] · W_ihᵀ → [T·B, G] as an array (one matMul for all steps). */
export function inputProjection(x2: tf.Tensor2D, wIh: tf.Tensor): Float32Array {
  return take(tf.tidy(() => tf.matMul(x2, tf.transpose(wIh) as tf.Tensor2D)));
}

/** Σ over rows of a [rows, cols] array, as a [cols] tensor. */
export function columnSums(a: Float32Array, rows: number, cols: number): tf.Tensor1D {
  const s = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) s[j]! += a[o + j]!;
  }
  return tf.tensor1d(Float32Array.from(s));
}

/** δ [rows, cols] (row-major array) · W [cols, n] (tensor) → [rows, n] tensor. */
export function mmRows(a: Float32Array, rows: number, cols: number, w: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.tensor2d(a, [rows, cols]), w as tf.Tensor2D));
}
