import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../check/errors.js';
import type { Rng } from './rng.js';

/** Makes the initial values of a weight of `shape`, drawing from `rng`. */
export type Initializer = (shape: readonly number[], rng: Rng) => tf.Tensor;

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Fan-in and fan-out as Keras/PyTorch define them (receptive field times channels for rank > 2). */
function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const [first, second, ...receptiveField] = shape;
  if (first === undefined) return { fanIn: 1, fanOut: 1 };
  if (second === undefined) return { fanIn: first, fanOut: first };
  const receptive = size(receptiveField);
  // gated stores weights as [in, out] (x·W), so the first axis is the fan-in.
  return { fanIn: first * receptive, fanOut: second * receptive };
}

/** All zeros. */
export const zeros = (): Initializer => (shape) => tf.zeros(shape as number[]);

/** All ones. */
export const ones = (): Initializer => (shape) => tf.ones(shape as number[]);

/** Every element `value`. */
export const constant = (value: number): Initializer => (shape) => tf.fill(shape as number[], value);

/** Uniform on [low, high). */
export const uniform =
  (low: number, high: number): Initializer =>
  (shape, rng) =>
    tf.tensor(rng.uniformArray(size(shape), low, high), shape as number[], 'float32');

/** Normal with the given mean and standard deviation. */
export const normal =
  (mean = 0, std = 1): Initializer =>
  (shape, rng) =>
    tf.tensor(rng.normalArray(size(shape), mean, std), shape as number[], 'float32');

/** Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export const glorotUniform =
  (gain = 1): Initializer =>
  (shape, rng) => {
    const { fanIn, fanOut } = fans(shape);
    const a = gain * Math.sqrt(6 / (fanIn + fanOut));
    return uniform(-a, a)(shape, rng);
  };

/**
 * PyTorch's default for every RNN/LSTM/GRU weight and bias: U(−1/√H, 1/√H) with H the hidden size.
 */
export const recurrentUniform = (hiddenSize: number): Initializer => {
  if (!(hiddenSize > 0)) throw new ArgumentError('hiddenSize', 'a positive number', String(hiddenSize));
  const k = 1 / Math.sqrt(hiddenSize);
  return uniform(-k, k);
};

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a normal sample, sign-corrected so the
 * distribution is uniform (as in PyTorch's `orthogonal_`). Rank-2 shapes only.
 */
export const orthogonal =
  (gain = 1): Initializer =>
  (shape, rng) => {
    if (shape.length !== 2) throw new ArgumentError('shape', 'a rank-2 shape for orthogonal init', `[${shape.join(', ')}]`);
    const [rows, cols] = shape as [number, number];
    const tall = rows >= cols;
    const m = tall ? rows : cols;
    const n = tall ? cols : rows;
    // Modified Gram–Schmidt on the columns of an m×n normal matrix (m ≥ n), in float64.
    const a = Float64Array.from(rng.normalArray(m * n));
    const q = new Float64Array(m * n);
    for (let j = 0; j < n; j++) {
      const v = new Float64Array(m);
      for (let i = 0; i < m; i++) v[i] = a[i * n + j]!;
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= dot * q[i * n + k]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) q[i * n + j] = v[i]! / norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[r * n + c]! : q[c * n + r]!);
    return tf.tensor(out, [rows, cols], 'float32');
  };

/**
 * Sets the forget-gate quarter of an LSTM bias laid out as [i, f, g, o] (PyTorch order) to `value`.
 * Jozefowicz et al. (2015) recommend 1 so the cell remembers by default early in training.
 */
export function withForgetBias(bias: Float32Array, hiddenSize: number, value: number): Float32Array {
  if (bias.length !== 4 * hiddenSize) {
    throw new ArgumentError('bias', `length 4·hiddenSize = ${4 * hiddenSize}`, String(bias.length));
  }
  const out = Float32Array.from(bias);
  out.fill(value, hiddenSize, 2 * hiddenSize);
  return out;
}
