import type { Batch, Dataset } from './dataset.js';
import { COLLATE_SPEC, type CollateOptions, type Example, collate, packExamples } from './collate.js';
import { ArgumentError } from '../check/errors.js';
import { type OptionSpec, checkOptions, describeValue } from '../check/options.js';
import { Rng } from '../random/rng.js';
import { assertInteger } from '../check/shape-check.js';
import { withEpochs } from './with-epochs.js';

/** Options of a batching dataset (in-memory or streaming). */
export interface BatchingOptions extends CollateOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Reshuffle every epoch (seeded). Default false. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle; epoch `e` uses the order `new Rng(seed).fork(e)` gives. Default 0. */
  readonly seed?: number;
  /** Drop the last, smaller batch of an epoch (PyTorch `drop_last`). Default false. */
  readonly dropRemainder?: boolean;
}

/**
 * A dataset whose epoch order is a function of (seed, epoch) alone. A trainer calls `setEpoch(e)` before
 * iterating so that a resumed run sees exactly the order an uninterrupted one would (PyTorch's
 * `DistributedSampler.set_epoch`). Without a call, each new iteration advances the epoch by one.
 */
export interface EpochDataset<B = Batch> extends Dataset<B> {
  /** The epoch the next iteration yields (0-based). */
  readonly epoch: number;
  /** Sets the epoch the next iteration yields. */
  setEpoch(epoch: number): void;
}

/** An in-memory dataset of examples, see {@link inMemoryDataset}. */
export interface InMemoryDataset extends EpochDataset {
  /** Batches per epoch. */
  readonly size: number;
  /** Number of examples. */
  readonly length: number;
}

/** The keys of {@link BatchingOptions} and what they hold. */
export const BATCHING_SPEC = {
  ...COLLATE_SPEC,
  batchSize: 'integer',
  shuffle: 'boolean',
  seed: 'integer',
  dropRemainder: 'boolean',
} as const satisfies OptionSpec;

/** Validates the options every batching dataset shares (internal to the dataset files). */
export function checkBatching(where: string, options: BatchingOptions, spec: OptionSpec = BATCHING_SPEC): void {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${where} options`, 'an options object with batchSize', describeValue(options));
  checkOptions(where, options, spec);
  assertInteger('batchSize', options.batchSize, 1);
  if (options.seed !== undefined) assertInteger('seed', options.seed, 0, 2 ** 53);
}

/**
 * A finite dataset over examples held in memory: batches of `batchSize` (padded, with `lengths` when ragged),
 * in order or reshuffled each epoch from `seed`. Iterating again starts the next epoch.
 *
 * @example
 * const data = inMemoryDataset(examples, { batchSize: 32, shuffle: true, seed: 1, yDtype: 'int32' });
 * for await (const { x, y, lengths } of data) { … ; tf.dispose([x, y, lengths]); }
 */
export function inMemoryDataset(examples: readonly Example[], options: BatchingOptions): InMemoryDataset {
  checkBatching('inMemoryDataset', options);
  if (!Array.isArray(examples)) throw new ArgumentError('examples', 'an array of { x, y } examples', describeValue(examples));
  if (examples.length === 0) throw new ArgumentError('examples', 'at least one example', 'an empty list');
  const { batchSize, shuffle = false, seed = 0, dropRemainder = false, ...collateOptions } = options;
  const n = examples.length;
  const size = dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (size === 0) throw new ArgumentError('batchSize', `at most ${n} (the number of examples) with dropRemainder`, String(batchSize));
  // Fail on malformed examples now, not halfway through an epoch.
  let signature: string | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const packed = packExamples(examples.slice(start, start + batchSize), collateOptions);
    // Everything but the batch and time axes must agree across the whole dataset.
    const inner = (shape: number[], from: number) => `[B${from === 2 ? ', T' : ''}${shape.slice(from).map((d) => `, ${d}`).join('')}]`;
    const sig = `x ${inner(packed.x.shape, 2)}, y ${inner(packed.y.shape, collateOptions.perStepTargets ? 2 : 1)}`;
    if (signature !== undefined && sig !== signature) {
      throw new ArgumentError(`examples[${start}..${Math.min(n, start + batchSize) - 1}]`, `examples shaped like examples[0] (${signature})`, sig);
    }
    signature = sig;
  }
  return withEpochs({ size, length: n }, async function* (epoch) {
    const order = shuffle ? new Rng(seed).fork(epoch).permutation(n) : Array.from({ length: n }, (_, i) => i);
    for (let b = 0; b < size; b++) {
      const picked = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => {
        const example = examples[i];
        if (example === undefined) throw new ArgumentError(`examples[${i}]`, `an index below ${n}`, String(i));
        return example;
      });
      yield collate(picked, collateOptions);
    }
  });
}
