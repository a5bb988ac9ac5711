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

/** softmax over the last axis of scores [B, S], with padded positions (mask 0) given weight exactly 0. */
export function maskedSoftmax(scores: tf.Tensor2D, mask: tf.Tensor2D | null): tf.Tensor2D {
  if (!mask) return tf.softmax(scores) as tf.Tensor2D;
  // α = softmax(e + (1 − m)·(−10⁹))
  return tf.softmax(tf.add(scores, tf.mul(tf.sub(1, mask), MASKED_SCORE))) as tf.Tensor2D;
}
