import * as tf from '@tensorflow/tfjs-core';

/** What one direction of one layer produced, in time order, whichever implementation ran it. */
export interface DirectionResult {
  /** [T, B, P], zero past each sequence's length. */
  readonly output: tf.Tensor3D;
  /** The state after the direction's last valid step, [B, P]. */
  readonly h: tf.Tensor2D;
  /** LSTM only: the cell state after the last valid step, [B, H]; null for GRU and RNN. */
  readonly c: tf.Tensor2D | null;
}

/** Row `index` of a [N, B, F] tensor as [B, F]. */
export function row(t: tf.Tensor3D, index: number): tf.Tensor2D {
  return tf.squeeze(tf.slice(t, [index, 0, 0], [1, t.shape[1], t.shape[2]]), [0]);
}
