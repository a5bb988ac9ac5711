import * as tf from '@tensorflow/tfjs-core';

/** The global L2 norm √(Σ‖g‖²) over all gradients, as a scalar tensor (PyTorch `clip_grad_norm_`'s total norm). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * clip_grad_norm_'s coefficient min(1, maxNorm/(norm + 1e-6)) for a norm already read, in float32 arithmetic
 * (the value {@link clipByGlobalNorm} multiplies by, to the bit), for an optimizer to apply as its `gradScale`.
 */
export function clipCoefficient(maxNorm: number, norm: number): number {
  const f = Math.fround;
  return Math.min(f(f(maxNorm) / f(f(norm) + f(1e-6))), 1);
}

/**
 * Scales all gradients by min(1, maxNorm/(norm + 1e-6)), as PyTorch `clip_grad_norm_`. Returns new tensors;
 * the inputs are not disposed.
 */
export function clipByGlobalNorm(grads: Readonly<Record<string, tf.Tensor>>, maxNorm: number, norm: tf.Scalar): Record<string, tf.Tensor> {
  return tf.tidy(() => {
    const coef = tf.minimum(tf.div(tf.scalar(maxNorm), tf.add(norm, tf.scalar(1e-6))), tf.scalar(1));
    return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, coef)]));
  });
}

/** Clamps every gradient element into [−clipValue, clipValue] (PyTorch `clip_grad_value_`). Returns new tensors. */
export function clipByValue(grads: Readonly<Record<string, tf.Tensor>>, clipValue: number): Record<string, tf.Tensor> {
  return tf.tidy(() => Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.clipByValue(g, -clipValue, clipValue)])));
}
