import type * as tf from '@tensorflow/tfjs-core';

/**
 * One batch of examples. `x` is [batch, time, features] (float) or [batch, time] (token ids, int32);
 * `y` holds the targets. `lengths` [batch] (int32) gives each sequence's valid length when padded;
 * `mask` [batch, time] marks valid target positions (1) and padding (0).
 *
 * Whoever consumes a batch owns its tensors and disposes them.
 */
export interface Batch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
  readonly lengths?: tf.Tensor1D;
  readonly mask?: tf.Tensor;
}

/**
 * A dataset is an async iterable of batches; iterating again starts a new epoch. `size` is the number of
 * batches per epoch when it is known (finite sources), and absent for unbounded streams.
 */
export interface Dataset<B = Batch> extends AsyncIterable<B> {
  readonly size?: number;
  /**
   * Sets the epoch the next iteration yields, for datasets whose order depends on (seed, epoch): a trainer
   * calls it so a resumed run sees the order an uninterrupted one would.
   */
  setEpoch?(epoch: number): void;
}
