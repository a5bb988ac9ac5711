import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type Batch, type Dataset, Rng, assertInteger } from '@gated/tensor';
import { PIANO_KEYS, type PianoRoll } from './piano-roll.js';

/** Options of {@link nextStepBatches}; defaults in {@link NEXT_STEP_DEFAULTS}. */
export interface NextStepOptions {
  /** Pieces per batch. */
  readonly batchSize?: number;
  /** Shuffle the pieces every epoch (order decided by `seed` and the epoch). */
  readonly shuffle?: boolean;
  readonly seed?: number;
}

/** Defaults of {@link NextStepOptions}. */
export const NEXT_STEP_DEFAULTS = { batchSize: 16, shuffle: false, seed: 0 } as const;

/** A next-step batch as flat arrays, before it becomes tensors. */
export interface NextStepArrays {
  /** [B, T, 88]: steps 0..n−2 of each piece, zero-padded. */
  readonly x: Float32Array;
  /** [B, T, 88]: steps 1..n−1 (the frame to predict at each input step), zero-padded. */
  readonly y: Float32Array;
  /** [B]: predicted steps of each piece (its length − 1). */
  readonly lengths: Int32Array;
  /** [B, T]: 1 on predicted steps, 0 on padding. */
  readonly mask: Float32Array;
  readonly batch: number;
  /** T: the longest piece's predicted steps in the batch. */
  readonly steps: number;
}

/**
 * Packs pieces into one next-step prediction batch: the input at step t is frame t and the target is frame t + 1,
 * so a piece of n frames gives n − 1 predicted steps (the convention of Bai et al. 2018's JSB code). Pieces of
 * different lengths are zero-padded to the longest; `lengths` and `mask` mark the valid steps. Pieces of one frame
 * have nothing to predict and are rejected.
 */
export function nextStepArrays(pieces: readonly PianoRoll[]): NextStepArrays {
  if (pieces.length === 0) throw new ArgumentError('pieces', 'at least one piece', 'none');
  for (const p of pieces) if (p.steps < 2) throw new ArgumentError('pieces', `pieces of ≥ 2 steps (${p.name})`, `${p.steps} step`);
  const steps = Math.max(...pieces.map((p) => p.steps - 1));
  const batch = pieces.length;
  const x = new Float32Array(batch * steps * PIANO_KEYS);
  const y = new Float32Array(batch * steps * PIANO_KEYS);
  const lengths = new Int32Array(batch);
  const mask = new Float32Array(batch * steps);
  pieces.forEach((piece, b) => {
    const n = piece.steps - 1;
    lengths[b] = n;
    mask.fill(1, b * steps, b * steps + n);
    const base = b * steps * PIANO_KEYS;
    x.set(piece.keys.subarray(0, n * PIANO_KEYS), base);
    y.set(piece.keys.subarray(PIANO_KEYS, (n + 1) * PIANO_KEYS), base);
  });
  return { x, y, lengths, mask, batch, steps };
}

/** The tensors of {@link nextStepArrays}: x, y float32 [B, T, 88], lengths int32 [B], mask float32 [B, T]. */
export function nextStepBatch(pieces: readonly PianoRoll[]): Batch & { readonly lengths: tf.Tensor1D; readonly mask: tf.Tensor2D } {
  const a = nextStepArrays(pieces);
  return {
    x: tf.tensor3d(a.x, [a.batch, a.steps, PIANO_KEYS]),
    y: tf.tensor3d(a.y, [a.batch, a.steps, PIANO_KEYS]),
    lengths: tf.tensor1d(a.lengths, 'int32'),
    mask: tf.tensor2d(a.mask, [a.batch, a.steps]),
  };
}

/** A dataset of next-step batches with a settable epoch (the shuffle order is a function of seed and epoch). */
export interface NextStepDataset extends Dataset<Batch> {
  readonly size: number;
  setEpoch(epoch: number): void;
}

/**
 * Next-step multi-label prediction batches over pieces (see {@link nextStepArrays}); each iteration is one epoch.
 * The consumer disposes every batch's tensors.
 *
 * @example
 * const jsb = await loadJsbChorales();
 * for await (const { x, y, lengths, mask } of nextStepBatches(jsb.train, { batchSize: 8, shuffle: true, seed: 1 })) {
 *   // x, y [8, T, 88]; lengths [8]; mask [8, T]
 * }
 */
export function nextStepBatches(pieces: readonly PianoRoll[], options: NextStepOptions = {}): NextStepDataset {
  for (const key of Object.keys(options)) {
    if (!(key in NEXT_STEP_DEFAULTS)) throw new ArgumentError('options', `keys of ${Object.keys(NEXT_STEP_DEFAULTS).join(', ')}`, JSON.stringify(key));
  }
  const o = { ...NEXT_STEP_DEFAULTS, ...options };
  assertInteger('batchSize', o.batchSize, 1);
  assertInteger('seed', o.seed, 0);
  if (pieces.length === 0) throw new ArgumentError('pieces', 'at least one piece', 'none');
  let epoch = 0;
  const size = Math.ceil(pieces.length / o.batchSize);
  return {
    size,
    setEpoch(e: number) {
      epoch = e;
    },
    async *[Symbol.asyncIterator]() {
      const order = o.shuffle ? new Rng(o.seed).fork(`epoch-${epoch}`).permutation(pieces.length) : pieces.map((_, i) => i);
      epoch++;
      for (let start = 0; start < pieces.length; start += o.batchSize) {
        const batch = order.slice(start, start + o.batchSize).map((i) => {
          const piece = pieces[i];
          if (piece === undefined) throw new ArgumentError('pieces', `a piece at index ${i}`, `${pieces.length} pieces`);
          return piece;
        });
        yield nextStepBatch(batch);
      }
    },
  };
}
