import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type OptionSpec, assertShape, assertTensor } from '@gated/tensor';

/** The keys of FusedSequenceOptions and what they hold. */
export const FUSED_SPEC = { batchFirst: 'boolean', reverse: 'boolean', lengths: 'any', h0: 'object', recurrentMask: 'object', kernels: ['auto', 'native', 'wasm'] } as const satisfies OptionSpec;

/** Checks a float32 tensor's shape; `null` in the pattern matches any size. */
export function checkFloat(name: string, t: tf.Tensor, pattern: readonly (number | null)[]): void {
  assertTensor(name, t);
  if (t.dtype !== 'float32') throw new ArgumentError(name, 'a float32 tensor', `dtype ${t.dtype}`);
  assertShape(name, t.shape, pattern);
}

/** Sequence lengths as int32, each in [0, T], one per batch row; undefined when absent. */
export function readLengths(
  lengths: tf.Tensor1D | Int32Array | readonly number[] | undefined,
  batch: number,
  steps: number,
): Int32Array | undefined {
  if (lengths === undefined) return undefined;
  const values = lengths instanceof tf.Tensor ? Array.from(lengths.dataSync()) : Array.from(lengths);
  if (values.length !== batch) throw new ArgumentError('lengths', `${batch} entries (one per batch row)`, `${values.length}`);
  values.forEach((v, row) => {
    if (!Number.isInteger(v) || v < 0 || v > steps) {
      throw new ArgumentError(`lengths[${row}]`, `an integer in 0..${steps}`, String(v));
    }
  });
  return Int32Array.from(values);
}

/** Batch, time and feature sizes of x given its layout. */
export function sequenceSizes(x: tf.Tensor, batchFirst: boolean): { B: number; T: number; I: number } {
  checkFloat('x', x, [null, null, null]);
  const [a, b, I] = x.shape as [number, number, number];
  return batchFirst ? { B: a, T: b, I } : { B: b, T: a, I };
}

/** A recurrent-dropout mask [B, width] as floats; undefined when absent. */
export function readMask(mask: tf.Tensor2D | Float32Array | undefined, batch: number, width: number): Float32Array | undefined {
  if (mask === undefined) return undefined;
  if (mask instanceof tf.Tensor) {
    checkFloat('recurrentMask', mask, [batch, width]);
    return mask.dataSync() as Float32Array;
  }
  if (mask.length !== batch * width) throw new ArgumentError('recurrentMask', `${batch * width} values ([${batch}, ${width}])`, `${mask.length}`);
  return mask;
}
