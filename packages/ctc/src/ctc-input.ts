import * as tf from '@tensorflow/tfjs-core';
import { CtcError } from './errors.js';

/** Log-probabilities as a tf tensor, or a plain buffer with its shape (e.g. an onnxruntime output). */
export type LogProbsInput = tf.Tensor | { readonly data: Float32Array; readonly shape: readonly number[] };

/** Lengths per batch item: a plain or typed array, or an int32 tensor [B]. */
export type CtcLengths = ArrayLike<number> | tf.Tensor;

/** A [T, B, C] or [B, T, C] buffer read once, with the strides to walk one sequence of it. */
export interface LogProbsView {
  readonly data: Float32Array;
  /** Padded time steps. */
  readonly T: number;
  readonly B: number;
  readonly C: number;
  /** Distance between consecutive time steps of one sequence. */
  readonly strideT: number;
  /** Index of (t = 0, b, c = 0). */
  offset(b: number): number;
}

/** Reads log-probabilities (time-major unless `batchFirst`) into a flat buffer without copying when possible. */
export function viewLogProbs(fn: string, input: LogProbsInput, batchFirst: boolean): LogProbsView {
  let data: Float32Array;
  let shape: readonly number[];
  if (input instanceof tf.Tensor) {
    if (input.dtype !== 'float32') throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: logProbs expected dtype float32, got ${input.dtype}`, { argument: 'logProbs', expected: 'float32', actual: input.dtype });
    data = input.dataSync() as Float32Array;
    shape = input.shape;
  } else {
    data = input.data;
    shape = input.shape;
  }
  const layout = batchFirst ? '[B, T, C]' : '[T, B, C]';
  if (shape.length !== 3 || shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: logProbs expected a rank-3 ${layout} array, got shape [${shape.join(', ')}] with ${data.length} values`, {
      argument: 'logProbs',
      expected: layout,
      actual: `[${shape.join(', ')}]`,
    });
  }
  const [d0, d1, C] = shape as [number, number, number];
  if (C < 1) throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: logProbs expected at least one class, got C = ${C}`, { argument: 'logProbs', expected: 'C ≥ 1', actual: String(C) });
  if (batchFirst) return { data, T: d1, B: d0, C, strideT: C, offset: (b) => b * d1 * C };
  return { data, T: d0, B: d1, C, strideT: d1 * C, offset: (b) => b * C };
}

/** Lengths as plain integers, checked against [0, max]. */
export function readLengths(fn: string, argument: string, lengths: CtcLengths, batch: number, max: number, maxName: string): Int32Array {
  let values: ArrayLike<number>;
  if (lengths instanceof tf.Tensor) {
    if (lengths.rank !== 1) throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: ${argument} expected a 1-D tensor [${batch}], got shape [${lengths.shape.join(', ')}]`, { argument, expected: `[${batch}]`, actual: `[${lengths.shape.join(', ')}]` });
    values = lengths.dataSync();
  } else {
    values = lengths;
  }
  if (values.length !== batch) {
    throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: ${argument} expected ${batch} lengths (one per batch item), got ${values.length}`, { argument, expected: String(batch), actual: String(values.length) });
  }
  const out = new Int32Array(batch);
  for (const [b, v] of Array.from(values).entries()) {
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new CtcError('GATED_CTC_BAD_LENGTH', `${fn}: ${argument}[${b}] expected an integer in 0..${max} (${maxName}), got ${v}`, { argument, batch: b, expected: `0..${max}`, actual: String(v) });
    }
    out[b] = v;
  }
  return out;
}

/** `lengths[b]`, or a `GATED_CTC_BAD_SHAPE` error naming the argument when batch item `b` has no length. */
export function lengthAt(fn: string, argument: string, lengths: ArrayLike<number>, b: number): number {
  const n = lengths[b];
  if (n === undefined) throw new CtcError('GATED_CTC_BAD_SHAPE', `${fn}: ${argument} expected a length for batch item ${b}, got ${lengths.length} lengths`, { argument, batch: b, expected: `more than ${b} lengths`, actual: String(lengths.length) });
  return n;
}
