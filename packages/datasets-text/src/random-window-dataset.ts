import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertInteger, type Batch, type EpochDataset, Rng, assertObject, checkOptions, describeValue } from '@gated/tensor';
import { RANDOM_WINDOW_SPEC } from './option-specs.js';

/** Options of a {@link RandomWindowDataset}. */
export interface RandomWindowDatasetOptions {
  /** Windows per batch (B). */
  readonly batchSize: number;
  /** Tokens per window (T). */
  readonly seqLen: number;
  /** Batches per epoch. Default: enough windows to cover the stream about once, ⌊(N−1)/(B·T)⌋ (at least 1). */
  readonly batchesPerEpoch?: number;
  /** Seed of the window positions; epoch e draws from `new Rng(seed).fork(e)`. Default 0. */
  readonly seed?: number;
}

/**
 * Next-token batches of windows at random positions of the token stream (the nanoGPT / char-rnn sampling):
 * x int32 [B, T] = ids[s, s+T), y = ids[s+1, s+T+1) for B independent starts s. Windows are not contiguous
 * across batches, so the hidden state should be reset every batch. Each epoch draws new positions, determined
 * by `seed` and the epoch number.
 */
export class RandomWindowDataset implements EpochDataset<Batch> {
  /** Windows are independent: start every batch from a zero state. */
  readonly stateful = false as const;
  readonly batchSize: number;
  readonly seqLen: number;
  readonly size: number;
  readonly seed: number;
  readonly #ids: Int32Array;
  #epoch = 0;

  constructor(ids: Int32Array, options: RandomWindowDatasetOptions) {
    assertObject('new RandomWindowDataset options', options, 'an options object { batchSize, seqLen, … }');
    checkOptions('new RandomWindowDataset', options, RANDOM_WINDOW_SPEC);
    if (!(ids instanceof Int32Array)) throw new ArgumentError('ids', 'an Int32Array of token ids', describeValue(ids));
    assertInteger('batchSize', options.batchSize, 1);
    assertInteger('seqLen', options.seqLen, 1);
    if (ids.length < options.seqLen + 1) throw new ArgumentError('ids', `at least seqLen + 1 = ${options.seqLen + 1} tokens`, `${ids.length} tokens`);
    this.batchSize = options.batchSize;
    this.seqLen = options.seqLen;
    this.seed = options.seed ?? 0;
    this.size = options.batchesPerEpoch ?? Math.max(1, Math.floor((ids.length - 1) / (this.batchSize * this.seqLen)));
    assertInteger('batchesPerEpoch', this.size, 1);
    this.#ids = ids;
  }

  /** The window starts of batch `k` of epoch `epoch` (for inspection and tests). */
  starts(epoch: number, k: number): number[] {
    const rng = new Rng(this.seed).fork(epoch).fork(k);
    const positions = this.#ids.length - this.seqLen; // s in [0, N − T − 1]
    return Array.from({ length: this.batchSize }, () => rng.int(positions));
  }

  /** Batch `k` of epoch `epoch`. */
  batch(epoch: number, k: number): Batch {
    const T = this.seqLen;
    const B = this.batchSize;
    const x = new Int32Array(B * T);
    const y = new Int32Array(B * T);
    this.starts(epoch, k).forEach((s, b) => {
      x.set(this.#ids.subarray(s, s + T), b * T);
      y.set(this.#ids.subarray(s + 1, s + 1 + T), b * T);
    });
    return { x: tf.tensor2d(x, [B, T], 'int32'), y: tf.tensor2d(y, [B, T], 'int32') };
  }

  /** The epoch the next iteration yields. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Sets the epoch the next iteration yields (a trainer calls it so a resumed run sees the same windows). */
  setEpoch(epoch: number): void {
    assertInteger('epoch', epoch, 0);
    this.#epoch = epoch;
  }

  /** Each iteration is a new epoch (0, 1, 2, …) with new window positions. */
  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const epoch = this.#epoch++;
    for (let k = 0; k < this.size; k++) yield this.batch(epoch, k);
  }
}
