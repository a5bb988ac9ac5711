import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';

/** Valid steps per sequence as a layer or a fused function takes them: an int32 [B] tensor or numbers. */
export type LengthsInput = tf.Tensor1D | Int32Array | readonly number[];

/**
 * Reads `lengths` (one per sequence, each an integer in 0..steps) into an Int32Array; null when absent. A tensor
 * must be int32 of shape [batch]. Shared by the layers and the fused functions so both check alike.
 */
export function readLengths(lengths: LengthsInput | undefined, batch: number, steps: number): Int32Array | null {
  if (lengths === undefined) return null;
  let values: ArrayLike<number>;
  if (lengths instanceof tf.Tensor) {
    if (lengths.rank !== 1 || lengths.dtype !== 'int32') {
      throw new ArgumentError('lengths', `an int32 tensor of shape [${batch}]`, `${lengths.dtype} shape [${lengths.shape.join(', ')}]`);
    }
    values = lengths.dataSync();
  } else {
    values = lengths;
  }
  if (values.length !== batch) throw new ArgumentError('lengths', `${batch} lengths (one per sequence)`, `${values.length}`);
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const v = values[b];
    if (v === undefined || !Number.isInteger(v) || v < 0 || v > steps) throw new ArgumentError(`lengths[${b}]`, `an integer in 0..${steps}`, String(v));
    out[b] = v;
  }
  return out;
}

/** The time mask of `lengths`: [T, B, 1] with 1 where t < lengths[b], else 0. */
export function lengthsMask(lengths: Int32Array, steps: number): tf.Tensor3D {
  const batch = lengths.length;
  const m = new Float32Array(steps * batch);
  for (const [b, length] of lengths.entries()) for (let t = 0; t < length; t++) m[t * batch + b] = 1;
  return tf.tensor3d(m, [steps, batch, 1]);
}
