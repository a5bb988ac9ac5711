import * as tf from '@tensorflow/tfjs-core';
import { at } from '../lookup.js';

/** Mean softmax cross-entropy in bits of `logits` [N, C] (or [B, T, C]) against integer `labels`. Returns the bit sum. */
export function crossEntropyBitSum(logits: tf.Tensor, labels: tf.Tensor): number {
  const sum = tf.tidy((): tf.Scalar => {
    const classes = at(logits.shape, -1, 'logits shape');
    const flat = tf.reshape(logits, [-1, classes]);
    const ids = tf.cast(tf.reshape(labels, [-1]), 'int32');
    const logp = tf.logSoftmax(flat);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(ids, classes)), 1);
    return tf.div(tf.neg(tf.sum(picked)), tf.scalar(Math.LN2)) as tf.Scalar;
  });
  const value = sum.arraySync();
  sum.dispose();
  return value;
}

/** Predicted class of each row of `logits` [N, C]. */
export function argmaxOf(logits: tf.Tensor): Int32Array {
  const ids = tf.tidy(() => tf.argMax(tf.reshape(logits, [at(logits.shape, 0, 'logits shape'), -1]), 1));
  const out = new Int32Array(ids.dataSync());
  ids.dispose();
  return out;
}

/** Accuracy and binary F1 (class `positive` as the positive class) of predictions against labels. */
export function classificationScores(predicted: ArrayLike<number>, actual: ArrayLike<number>, positive = 1): { accuracy: number; f1: number } {
  let correct = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const predictions = Array.from(predicted);
  for (const [i, a] of Array.from(actual).entries()) {
    const p = predictions[i];
    if (p === a) correct++;
    if (p === positive && a === positive) tp++;
    else if (p === positive) fp++;
    else if (a === positive) fn++;
  }
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { accuracy: actual.length > 0 ? correct / actual.length : Number.NaN, f1 };
}
