import { assertInteger, type Batch, checkOptions, type Dataset, Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureMatrix } from './feature-matrix.js';
import { SpeechDataError } from './errors.js';

/** A feature matrix with its transcript as a token sequence (digits 0 … 9 for the connected-digit corpus). */
export interface TranscribedFeatures {
  readonly features: FeatureMatrix;
  readonly tokens: readonly number[];
}

/**
 * A padded batch of transcribed utterances: `x` [B, T, F] float32, `lengths` [B] int32 frames, `y` [B, S] int32
 * tokens padded with −1 to the longest transcript, `targetLengths` [B] int32 tokens, and the plain `tokens`.
 */
export interface TranscriptBatch extends Batch {
  readonly lengths: tf.Tensor1D;
  readonly targetLengths: tf.Tensor1D;
  readonly tokens: readonly (readonly number[])[];
}

/** Options of {@link batchTranscripts}. */
export interface TranscriptBatchOptions {
  /** Default 32. */
  readonly batchSize?: number;
  /** Reshuffle every epoch. Default false. */
  readonly shuffle?: boolean;
  /** Epoch e uses `new Rng(seed).fork(e)`. Default 0. */
  readonly seed?: number;
  /**
   * Length bucketing (with `shuffle`): each run of `batchSize × bucketSize` shuffled utterances is sorted by frame
   * count before it is cut into batches, and the batches are then shuffled, so a batch holds utterances of
   * similar length and pads less. Default 1 (no bucketing).
   */
  readonly bucketSize?: number;
}

/**
 * Pads transcribed utterances into {@link TranscriptBatch}es (the input of a CTC loss). The consumer disposes
 * `x`, `y`, `lengths` and `targetLengths`.
 *
 * @example
 * for await (const b of batchTranscripts(items.length, (i) => items[i], { batchSize: 16 })) { ...; tf.dispose([b.x, b.y, b.lengths, b.targetLengths]); }
 */
export function batchTranscripts(count: number, fetch: (index: number) => TranscribedFeatures, options: TranscriptBatchOptions = {}): Dataset<TranscriptBatch> {
  checkOptions('batchTranscripts', options, { batchSize: 'integer', shuffle: 'boolean', seed: 'integer', bucketSize: 'integer' });
  const batchSize = options.batchSize ?? 32;
  assertInteger('batchSize', batchSize, 1, 1 << 20);
  const seed = options.seed ?? 0;
  assertInteger('seed', seed, 0, 2 ** 53);
  const shuffle = options.shuffle ?? false;
  const bucketSize = options.bucketSize ?? 1;
  assertInteger('bucketSize', bucketSize, 1, 1 << 20);
  const size = Math.ceil(count / batchSize);
  let epoch = 0;
  return {
    size,
    async *[Symbol.asyncIterator]() {
      const rng = new Rng(seed).fork(epoch);
      const order = shuffle ? rng.permutation(count) : Array.from({ length: count }, (_, i) => i);
      epoch++;
      let batches = Array.from({ length: size }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize));
      if (shuffle && bucketSize > 1) {
        const window = batchSize * bucketSize;
        const frames = (i: number): number => fetch(i).features.shape[0];
        batches = [];
        for (let w = 0; w < count; w += window) {
          const sorted = order.slice(w, w + window).sort((a, b) => frames(a) - frames(b));
          for (let b = 0; b < sorted.length; b += batchSize) batches.push(sorted.slice(b, b + batchSize));
        }
        batches = rng.shuffle(batches);
      }
      for (const indices of batches) yield padTranscripts(indices.map(fetch));
    },
  };
}

function padTranscripts(items: readonly TranscribedFeatures[]): TranscriptBatch {
  const [first] = items;
  if (first === undefined) throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', 'a batch has no utterances', { file: 'batch', expected: 'at least one utterance', actual: '0 utterances' });
  const dim = first.features.shape[1];
  const maxT = Math.max(1, ...items.map((u) => u.features.shape[0]));
  const maxS = Math.max(1, ...items.map((u) => u.tokens.length));
  const x = new Float32Array(items.length * maxT * dim);
  const y = new Int32Array(items.length * maxS).fill(-1);
  items.forEach((u, i) => {
    x.set(u.features.data, i * maxT * dim);
    y.set(u.tokens, i * maxS);
  });
  return {
    x: tf.tensor3d(x, [items.length, maxT, dim], 'float32'),
    y: tf.tensor2d(y, [items.length, maxS], 'int32'),
    lengths: tf.tensor1d(Int32Array.from(items, (u) => u.features.shape[0]), 'int32'),
    targetLengths: tf.tensor1d(Int32Array.from(items, (u) => u.tokens.length), 'int32'),
    tokens: items.map((u) => u.tokens),
  };
}
