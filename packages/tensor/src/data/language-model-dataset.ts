import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Dataset } from './dataset.js';
import { ArgumentError } from '../check/errors.js';
import { assertObject } from '../check/argument-check.js';
import { type OptionSpec, checkOptions, describeValue } from '../check/options.js';
import { assertInteger } from '../check/shape-check.js';

/** Options of a {@link LanguageModelDataset}. */
export interface LanguageModelDatasetOptions {
  /** Rows per batch (B); the stream is cut into B contiguous rows. */
  readonly batchSize: number;
  /** Time steps per batch (T, PyTorch's `bptt`). */
  readonly seqLen: number;
  /** Leave out the last, shorter batch so every batch is [B, seqLen]. Default false (PyTorch keeps it). */
  readonly dropLast?: boolean;
}

/** The keys of {@link LanguageModelDatasetOptions}; `seqLength` is refused with "did you mean seqLen". */
const LM_DATASET_SPEC = { batchSize: 'integer', seqLen: 'integer', dropLast: 'boolean' } as const satisfies OptionSpec;

/**
 * Next-token batches in the PyTorch `word_language_model` layout: the token stream is trimmed to a multiple of
 * B and cut into B contiguous rows (`batchify`), and batch k holds columns `[k·T, k·T+T)` of every row (`get_batch`),
 * x int32 [B, T] and targets y = the same window shifted one token right. Row b of batch k+1 continues row b of
 * batch k, so the hidden state can be carried across batches (stateful training, truncated BPTT). PyTorch's
 * layout is time-major [T, B]; this one is batch-first [B, T] with the same numbers. Tokens that do not fill a
 * whole row are dropped; the order never changes between epochs.
 *
 * @example
 * const train = new LanguageModelDataset(Int32Array.from(tokenIds), { batchSize: 20, seqLen: 35 });
 * await fit(model, train, { stateful: true, tbptt: 35 });
 */
export class LanguageModelDataset implements Dataset<Batch> {
  /** Batches continue each other row by row: carry the recurrent state across batches (detached). */
  readonly stateful = true as const;
  readonly batchSize: number;
  readonly seqLen: number;
  readonly dropLast: boolean;
  /** Tokens per row after trimming (PyTorch's `nbatch`). */
  readonly rowLength: number;
  /** Batches per epoch. */
  readonly size: number;
  readonly #rows: Int32Array; // [B, rowLength], row-major

  constructor(tokens: Int32Array, options: LanguageModelDatasetOptions) {
    assertObject('new LanguageModelDataset options', options, 'an options object { batchSize, seqLen, dropLast? }');
    checkOptions('new LanguageModelDataset', options, LM_DATASET_SPEC);
    if (!(tokens instanceof Int32Array)) throw new ArgumentError('tokens', 'an Int32Array of token ids', describeValue(tokens));
    assertInteger('batchSize', options.batchSize, 1);
    assertInteger('seqLen', options.seqLen, 1);
    this.batchSize = options.batchSize;
    this.seqLen = options.seqLen;
    this.dropLast = options.dropLast ?? false;
    this.rowLength = Math.floor(tokens.length / this.batchSize);
    const need = this.dropLast ? this.seqLen + 1 : 2;
    if (this.rowLength < need) {
      throw new ArgumentError(
        'tokens',
        `at least ${need * this.batchSize} tokens (${need} per row for batchSize ${this.batchSize}${this.dropLast ? ` and seqLen ${this.seqLen}` : ''})`,
        `${tokens.length} tokens`,
      );
    }
    this.#rows = tokens.slice(0, this.rowLength * this.batchSize);
    const steps = this.rowLength - 1; // the last token of a row is only a target
    this.size = this.dropLast ? Math.floor(steps / this.seqLen) : Math.ceil(steps / this.seqLen);
  }

  /** Batch `k` of the epoch (0 ≤ k < size): x and y int32 [B, T], T = seqLen except maybe for the last one. */
  batch(k: number): Batch {
    assertInteger('k', k, 0, this.size - 1);
    const start = k * this.seqLen;
    const t = Math.min(this.seqLen, this.rowLength - 1 - start);
    const B = this.batchSize;
    const x = new Int32Array(B * t);
    const y = new Int32Array(B * t);
    for (let b = 0; b < B; b++) {
      const row = b * this.rowLength + start;
      x.set(this.#rows.subarray(row, row + t), b * t);
      y.set(this.#rows.subarray(row + 1, row + 1 + t), b * t);
    }
    return { x: tf.tensor2d(x, [B, t], 'int32'), y: tf.tensor2d(y, [B, t], 'int32') };
  }

  /** Every epoch yields the same batches; accepted so a trainer can resume any epoch exactly. */
  setEpoch(epoch: number): void {
    assertInteger('epoch', epoch, 0);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    for (let k = 0; k < this.size; k++) yield this.batch(k);
  }
}
