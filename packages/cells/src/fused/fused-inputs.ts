import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type OptionSpec, assertShape, assertTensor } from '@gated/tensor';
import { FUSED_KERNELS } from './kernel-choice.js';

/** The keys of FusedSequenceOptions and what they hold. */
export const FUSED_SPEC = { batchFirst: 'boolean', reverse: 'boolean', lengths: 'any', h0: 'object', recurrentMask: 'object', kernels: FUSED_KERNELS } as const satisfies OptionSpec;

/** Checks a float32 tensor's shape; `null` in the pattern matches any size. */
export function checkFloat(name: string, t: tf.Tensor, pattern: readonly (number | null)[]): void {
  assertTensor(name, t);
  if (t.dtype !== 'float32') throw new ArgumentError(name, 'a float32 tensor', `dtype ${t.dtype}`);
  assertShape(name, t.shape, pattern);
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
