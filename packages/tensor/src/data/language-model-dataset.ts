import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from './dataset.js';
import { ArgumentError } from '../check/errors.js';
import { assertObject } from '../check/argument-check.js';
import { checkOptions, describeValue } from '../check/options.js';
import { assertInteger } from '../check/shape-check.js';

/** Options of {@link languageModelDataset}. */
export interface LanguageModelDatasetOptions {
  /** Number of parallel streams (rows) per batch. */
  readonly batchSize: number;
  /** Time steps per batch (PyTorch's `bptt`); the last batch may be shorter. */
  readonly seqLength: number;
}

/** A contiguous language-model dataset, see {@link languageModelDataset}. */
export interface LanguageModelDataset extends Dataset {
  /** Batches per epoch. */
  readonly size: number;
  /** Tokens per stream (row). */
  readonly streamLength: number;
}

/**
 * Language-model batches for stateful training, as PyTorch's word_language_model `batchify` + `get_batch`:
 * the token stream is cut into `batchSize` contiguous rows, and batch `i` holds steps `[i·seqLength,
 * (i+1)·seqLength)` of every row, so row `b` of batch `i+1` continues row `b` of batch `i` — carry the
 * recurrent state across batches. `x` is `[batchSize, T]` int32 token ids, `y` the next token at every step.
 * Tokens that do not fill a whole row are dropped; the order never changes between epochs.
 *
 * @example
 * const data = languageModelDataset(tokenIds, { batchSize: 20, seqLength: 35 });
 */
export function languageModelDataset(tokens: ArrayLike<number>, options: LanguageModelDatasetOptions): LanguageModelDataset {
  assertObject('languageModelDataset options', options, 'an options object { batchSize, seqLength }');
  checkOptions('languageModelDataset', options, { batchSize: 'integer', seqLength: 'integer' });
  if (tokens === null || typeof tokens !== 'object' || typeof tokens.length !== 'number') {
    throw new ArgumentError('tokens', 'an array or typed array of token ids', describeValue(tokens));
  }
  assertInteger('batchSize', options.batchSize, 1);
  assertInteger('seqLength', options.seqLength, 1);
  const { batchSize, seqLength } = options;
  const streamLength = Math.floor(tokens.length / batchSize);
  if (streamLength < 2) {
    throw new ArgumentError('tokens', `at least ${2 * batchSize} tokens (2 per stream for batchSize ${batchSize})`, `${tokens.length} tokens`);
  }
  const rows = Array.from({ length: batchSize }, (_, b) => Int32Array.from({ length: streamLength }, (_, t) => tokens[b * streamLength + t]!));
  const size = Math.ceil((streamLength - 1) / seqLength);
  return {
    size,
    streamLength,
    // Every epoch yields the same batches; accepted so a trainer can resume any epoch exactly.
    setEpoch: (epoch: number) => assertInteger('epoch', epoch, 0),
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < size; i++) {
        const start = i * seqLength;
        const steps = Math.min(seqLength, streamLength - 1 - start);
        const x = new Int32Array(batchSize * steps);
        const y = new Int32Array(batchSize * steps);
        rows.forEach((row, b) => {
          x.set(row.subarray(start, start + steps), b * steps);
          y.set(row.subarray(start + 1, start + 1 + steps), b * steps);
        });
        yield { x: tf.tensor2d(x, [batchSize, steps], 'int32'), y: tf.tensor2d(y, [batchSize, steps], 'int32') };
      }
    },
  };
}
