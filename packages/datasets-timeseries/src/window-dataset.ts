import { assertInteger, type Batch, type Dataset, type EpochDataset, Rng, checkOptions, withEpochs } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { gatherWindows } from './windows.js';

/** Options of {@link windowDataset}. */
export interface WindowDatasetOptions {
  /** Windows per batch. Default 32. */
  readonly batchSize?: number;
  /** Shuffle the window order every epoch (seeded; a new order per epoch). Default false. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  readonly seed?: number;
  /** Drop the last, smaller batch. Default false. */
  readonly dropRemainder?: boolean;
}

/** Defaults of {@link WindowDatasetOptions}. */
export const WINDOW_DATASET_DEFAULTS = { batchSize: 32, shuffle: false, seed: 0, dropRemainder: false } as const;

/**
 * A finite dataset of windows: `size` batches per epoch over `windows` windows. Epoch e's order depends on
 * (seed, e) alone; `setEpoch` picks the epoch the next iteration yields (exact resume).
 */
export interface WindowDataset extends EpochDataset<Batch> {
  readonly size: number;
  readonly windows: number;
}

/**
 * A {@link Dataset} of forecasting windows cut from a row-major float32 `[rows, width]` array. Each batch holds
 * `x` [B, inputLength, inputColumns] and `y` [B, steps · targetColumns] (float32); windows are gathered per batch,
 * never all at once. The consumer disposes each batch's tensors.
 */
export function windowDataset(
  data: Float32Array,
  width: number,
  anchors: Int32Array,
  geometry: { readonly inputLength: number; readonly samplingRate: number; readonly steps: number },
  inputIndex: readonly number[],
  targetIndex: readonly number[],
  options: WindowDatasetOptions = {},
): WindowDataset {
  checkOptions('windowDataset', options, { batchSize: 'integer', shuffle: 'boolean', seed: 'integer', dropRemainder: 'boolean' });
  const batchSize = options.batchSize ?? WINDOW_DATASET_DEFAULTS.batchSize;
  assertInteger('batchSize', batchSize, 1);
  const shuffle = options.shuffle ?? WINDOW_DATASET_DEFAULTS.shuffle;
  const seed = options.seed ?? WINDOW_DATASET_DEFAULTS.seed;
  const dropRemainder = options.dropRemainder ?? WINDOW_DATASET_DEFAULTS.dropRemainder;
  const n = anchors.length;
  const size = dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  const rng = new Rng(seed);
  const L = geometry.inputLength;
  const F = inputIndex.length;
  const out = geometry.steps * targetIndex.length;
  return withEpochs({ size, windows: n }, async function* (epoch) {
    const order = shuffle ? Int32Array.from(rng.fork(epoch).permutation(n), (i) => anchors[i]!) : anchors;
    for (let b = 0; b < size; b++) {
      const chosen = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const { x, y } = gatherWindows(data, width, chosen, geometry, inputIndex, targetIndex);
      yield { x: tf.tensor3d(x, [chosen.length, L, F], 'float32'), y: tf.tensor2d(y, [chosen.length, out], 'float32') };
    }
  });
}
