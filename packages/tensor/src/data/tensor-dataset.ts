import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './dataset.js';
import { type BatchingOptions, type EpochDataset, checkBatching } from './in-memory-dataset.js';
import { ArgumentError } from '../check/errors.js';
import { assertObject, assertTensor } from '../check/argument-check.js';
import { Rng } from '../random/rng.js';
import { withEpochs } from './with-epochs.js';

/** A dataset over whole tensors, see {@link tensorDataset}. */
export interface TensorDataset extends EpochDataset {
  /** Batches per epoch. */
  readonly size: number;
  /** Number of examples (rows along axis 0). */
  readonly length: number;
}

/**
 * A finite dataset that slices already-built tensors along axis 0 (Keras `fit(x, y, batch_size)`,
 * PyTorch `TensorDataset` + `DataLoader`). The dataset keeps references to the given tensors and does not
 * dispose them; every batch is a fresh copy the consumer disposes.
 *
 * @example
 * const data = tensorDataset({ x: tf.randomNormal([100, 20, 3]), y: labels }, { batchSize: 10, shuffle: true, seed: 0 });
 */
export function tensorDataset(
  tensors: { readonly x: tf.Tensor; readonly y: tf.Tensor; readonly lengths?: tf.Tensor1D; readonly mask?: tf.Tensor },
  options: Pick<BatchingOptions, 'batchSize' | 'shuffle' | 'seed' | 'dropRemainder'>,
): TensorDataset {
  checkBatching('tensorDataset', options, { batchSize: 'integer', shuffle: 'boolean', seed: 'integer', dropRemainder: 'boolean' });
  assertObject('tensors', tensors, 'an object { x, y, lengths?, mask? } of tf.Tensors');
  assertTensor('tensors.x', tensors.x);
  assertTensor('tensors.y', tensors.y);
  if (tensors.lengths !== undefined) assertTensor('tensors.lengths', tensors.lengths, 1);
  if (tensors.mask !== undefined) assertTensor('tensors.mask', tensors.mask);
  const { batchSize, shuffle = false, seed = 0, dropRemainder = false } = options;
  const n = tensors.x.shape[0] ?? 0;
  if (n === 0) throw new ArgumentError('x', 'at least one example along axis 0', `shape [${tensors.x.shape.join(', ')}]`);
  for (const key of ['y', 'lengths', 'mask'] as const) {
    const t = tensors[key];
    if (t !== undefined && t.shape[0] !== n) throw new ArgumentError(key, `${n} rows along axis 0 (as x)`, `shape [${t.shape.join(', ')}]`);
  }
  const size = dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (size === 0) throw new ArgumentError('batchSize', `at most ${n} (the number of examples) with dropRemainder`, String(batchSize));
  return withEpochs({ size, length: n }, async function* (epoch) {
    const order = shuffle ? new Rng(seed).fork(epoch).permutation(n) : undefined;
    for (let b = 0; b < size; b++) {
      const start = b * batchSize;
      const count = Math.min(batchSize, n - start);
      yield tf.tidy(() => {
        const take = (t: tf.Tensor): tf.Tensor =>
          order === undefined ? tf.slice(t, start, count) : tf.gather(t, tf.tensor1d(order.slice(start, start + count), 'int32'));
        const batch: { x: tf.Tensor; y: tf.Tensor; lengths?: tf.Tensor1D; mask?: tf.Tensor } = { x: take(tensors.x), y: take(tensors.y) };
        if (tensors.lengths !== undefined) batch.lengths = take(tensors.lengths) as tf.Tensor1D;
        if (tensors.mask !== undefined) batch.mask = take(tensors.mask);
        return batch as Batch & tf.TensorContainerObject;
      });
    }
  });
}
