import { ArgumentError, describeValue } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** A [frames, bins] float32 matrix in row-major order: frame t, bin b is `data[t * shape[1] + b]`. */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly shape: readonly [frames: number, bins: number];
}

/** Wraps a row-major buffer as a {@link FeatureMatrix}, checking its length. */
export function featureMatrix(data: Float32Array, frames: number, bins: number): FeatureMatrix {
  if (!(data instanceof Float32Array)) throw new ArgumentError('data', 'a Float32Array', describeValue(data));
  if (data.length !== frames * bins) throw new ArgumentError('data.length', `${frames} × ${bins} = ${frames * bins}`, String(data.length));
  return { data, shape: [frames, bins] };
}

/**
 * Copies a {@link FeatureMatrix} into a `tf.Tensor2D` [frames, bins] (float32). The caller disposes it.
 *
 * @example
 * const x = toTensor2D(mfcc(samples, { sampleRate: 16000 }));
 */
export function toTensor2D(matrix: FeatureMatrix): tf.Tensor2D {
  assertMatrix('toTensor2D matrix', matrix);
  return tf.tensor2d(matrix.data, [matrix.shape[0], matrix.shape[1]], 'float32');
}

/** Subtracts each column's mean over all frames (Kaldi's `subtract_mean`), in place. */
export function subtractColumnMean(data: Float32Array, frames: number, bins: number): void {
  if (frames === 0) return;
  const mean = new Float64Array(bins);
  for (let t = 0; t < frames; t++) for (let b = 0; b < bins; b++) mean[b]! += data[t * bins + b]!;
  for (let b = 0; b < bins; b++) mean[b]! /= frames;
  for (let t = 0; t < frames; t++) for (let b = 0; b < bins; b++) data[t * bins + b]! -= mean[b]!;
}

/** Throws an ArgumentError unless `matrix` is a {@link FeatureMatrix} whose data fits its shape. */
export function assertMatrix(argument: string, matrix: unknown): asserts matrix is FeatureMatrix {
  const m = matrix as Partial<FeatureMatrix> | null;
  const ok =
    typeof m === 'object' &&
    m !== null &&
    m.data instanceof Float32Array &&
    Array.isArray(m.shape) &&
    m.shape.length === 2 &&
    Number.isInteger(m.shape[0]) &&
    Number.isInteger(m.shape[1]) &&
    m.data.length === m.shape[0] * m.shape[1];
  if (!ok) throw new ArgumentError(argument, 'a FeatureMatrix { data: Float32Array, shape: [frames, bins] }', describeValue(matrix));
}
