import * as tf from '@tensorflow/tfjs-core';
import { item } from './list-item.js';

/**
 * a [M, K] · b [K, N] with a gradient that uses only plain (non-transposed) matMuls and explicit transposes.
 * tfjs's own matMul gradient asks for transposed operands, which the wasm backend runs ~30× slower.
 */
export const matMulPlainGrad = tf.customGrad((...args: unknown[]) => {
  const save = args.pop() as tf.GradSaveFunc;
  const [a, b] = args as [tf.Tensor2D, tf.Tensor2D];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = (Array.isArray(dy) ? item(dy, 0, 'dy') : dy) as tf.Tensor2D;
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      // dA = dy·bᵀ, dB = aᵀ·dy
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
