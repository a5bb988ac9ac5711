import * as tf from '@tensorflow/tfjs-core';

/** Added to the score of a padded position: exp underflows to exactly 0 in float32, like PyTorch's −inf fill. */
const MASKED_SCORE = -1e9;

/** [B, S] float mask: 1 where s < lengths[b], 0 on padding. */
export function lengthMask(lengths: readonly number[], steps: number): tf.Tensor2D {
  const m = new Float32Array(lengths.length * steps);
  lengths.forEach((n, b) => {
    m.fill(1, b * steps, b * steps + n);
  });
  return tf.tensor2d(m, [lengths.length, steps]);
}

/** Each row's source length, read back from the memory's mask (a prefix of ones); undefined when nothing is padded. */
export function memoryLengths(memory: { readonly mask: tf.Tensor2D | null }): number[] | undefined {
  if (memory.mask === null) return undefined;
  const [B, S] = memory.mask.shape;
  const m = memory.mask.dataSync();
  return Array.from({ length: B }, (_, b) => {
    let n = 0;
    for (let s = 0; s < S; s++) n += m[b * S + s] ?? 0;
    return n;
  });
}

/**
 * softmax over the last axis of scores [B, S] (one query per row) or [B, T, S] (T queries per row), with padded
 * positions (mask [B, S] 0) given weight exactly 0.
 */
export function maskedSoftmax<T extends tf.Tensor2D | tf.Tensor3D>(scores: T, mask: tf.Tensor2D | null): T {
  if (!mask) return tf.softmax(scores) as T;
  const m = scores.rank === 3 ? tf.expandDims(mask, 1) : mask;
  // α = softmax(e + (1 − m)·(−10⁹))
  return tf.softmax(tf.add(scores, tf.mul(tf.sub(1, m), MASKED_SCORE))) as T;
}
