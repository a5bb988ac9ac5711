import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertInteger, type Batch, type Dataset, Rng, assertObject, checkOptions } from '@gated/tensor';
import type { PaddedSequences } from './pad-sequences.js';
import { CLASSIFICATION_DATASET_SPEC } from './option-specs.js';

/** Options of a {@link ClassificationDataset}. */
export interface ClassificationDatasetOptions {
  readonly batchSize: number;
  /** Shuffle the examples every epoch (epoch e uses `new Rng(seed).fork(e)`). Default false. */
  readonly shuffle?: boolean;
  /** Default 0. */
  readonly seed?: number;
  /** Leave out the last, smaller batch. Default false. */
  readonly dropLast?: boolean;
  /**
   * `'longest'`: each batch is as wide as its longest sequence (less work for a recurrent net);
   * `'max'`: every batch is [B, maxLen]. Default 'longest'.
   */
  readonly padding?: 'longest' | 'max';
}

/**
 * Padded token id sequences with class labels as batches: x int32 [B, T] (padding after each sequence),
 * y int32 [B] class ids, lengths int32 [B] valid tokens per row (≥ 1). Iterating again starts a new epoch.
 */
export class ClassificationDataset implements Dataset<Batch> {
  /** Number of examples. */
  readonly count: number;
  readonly batchSize: number;
  readonly size: number;
  readonly maxLen: number;
  /** Class id of each example. */
  readonly labels: Int32Array;
  /** Valid length of each example. */
  readonly lengths: Int32Array;
  readonly #ids: Int32Array;
  readonly #opts: Required<Omit<ClassificationDatasetOptions, 'batchSize'>>;
  #epoch = 0;

  constructor(data: PaddedSequences & { readonly labels: Int32Array }, options: ClassificationDatasetOptions) {
    assertObject('new ClassificationDataset options', options, 'an options object { batchSize, … }');
    checkOptions('new ClassificationDataset', options, CLASSIFICATION_DATASET_SPEC);
    assertObject('new ClassificationDataset data', data, 'padded sequences with labels');
    assertInteger('batchSize', options.batchSize, 1);
    if (data.labels.length !== data.count) throw new ArgumentError('labels', `${data.count} labels (one per sequence)`, `${data.labels.length}`);
    this.count = data.count;
    this.batchSize = options.batchSize;
    this.maxLen = data.maxLen;
    this.labels = data.labels;
    this.lengths = data.lengths;
    this.#ids = data.ids;
    this.#opts = { shuffle: false, seed: 0, dropLast: false, padding: 'longest', ...options };
    this.size = this.#opts.dropLast ? Math.floor(this.count / this.batchSize) : Math.ceil(this.count / this.batchSize);
  }

  /** The example order of epoch `epoch`. */
  order(epoch: number): number[] {
    if (!this.#opts.shuffle) return Array.from({ length: this.count }, (_, i) => i);
    return new Rng(this.#opts.seed).fork(epoch).permutation(this.count);
  }

  /** The batch of the given examples. */
  gather(indices: readonly number[]): Batch {
    const rows = indices.map((i) => {
      const length = this.lengths[i];
      const label = this.labels[i];
      if (length === undefined || label === undefined) throw new ArgumentError('indices', `example indices in 0..${this.count - 1}`, String(i));
      return { i, length, label };
    });
    const B = rows.length;
    let T = this.maxLen;
    if (this.#opts.padding === 'longest') T = rows.reduce((m, r) => Math.max(m, r.length), 1);
    const x = new Int32Array(B * T);
    const y = new Int32Array(B);
    const lengths = new Int32Array(B);
    rows.forEach(({ i, length, label }, b) => {
      x.set(this.#ids.subarray(i * this.maxLen, i * this.maxLen + T), b * T);
      y[b] = label;
      lengths[b] = length;
    });
    return { x: tf.tensor2d(x, [B, T], 'int32'), y: tf.tensor1d(y, 'int32'), lengths: tf.tensor1d(lengths, 'int32') };
  }

  /** The epoch the next iteration yields. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Sets the epoch the next iteration yields (a trainer calls it so a resumed run sees the same order). */
  setEpoch(epoch: number): void {
    assertInteger('epoch', epoch, 0);
    this.#epoch = epoch;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const order = this.order(this.#epoch++);
    for (let k = 0; k < this.size; k++) yield this.gather(order.slice(k * this.batchSize, (k + 1) * this.batchSize));
  }
}
