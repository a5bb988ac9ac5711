import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapViews } from '@gated/cells';

/** The global L2 norm √(Σ‖g‖²) over all gradients, as a scalar tensor (PyTorch `clip_grad_norm_`'s total norm). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * The global L2 norm √(Σ‖g‖²) over all gradients as a number: squares summed in float64 in one pass over each
 * gradient's values (read in place on the wasm backend, copied elsewhere), rounded to float32 once — what
 * {@link globalNorm} computes, without a tfjs op per gradient or a squared copy of each, and no less accurate.
 */
export function globalNormValue(grads: readonly tf.Tensor[]): number {
  const views = wasmHeapViews(grads, grads.map(() => false));
  let sum = 0;
  for (const [i, g] of grads.entries()) {
    const v = views?.[i] ?? g.dataSync();
    let s0 = 0;
    let s1 = 0;
    const n = v.length;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const a = v[j] as number;
      const b = v[j + 1] as number;
      s0 += a * a;
      s1 += b * b;
    }
    if (j < n) s0 += (v[j] as number) ** 2;
    sum += s0 + s1;
  }
  return Math.fround(Math.sqrt(sum));
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
