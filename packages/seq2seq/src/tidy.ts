import * as tf from '@tensorflow/tfjs-core';

/** tf.tidy for results holding tensors next to nulls (tfjs walks them at run time; its types do not allow null). */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}
