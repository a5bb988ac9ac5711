import { type Batch, type Dataset, type EpochDataset, withEpochs } from '@gated/tensor';

/**
 * A task's training stream: `size` batches per epoch, and batch k of epoch e a function of (seed, e, k) alone, with
 * `setEpoch` to pick the epoch — so `fit` can resume from a checkpoint anywhere and see exactly the batches an
 * uninterrupted run would (it sets the epoch, then skips the batches already trained).
 */
export interface TrainStream extends EpochDataset<Batch> {
  readonly size: number;
}

/** A {@link TrainStream} whose epoch e is `epochBatches(e)`. */
export function trainStream(size: number, epochBatches: (epoch: number) => AsyncIterable<Batch>): TrainStream {
  return withEpochs({ size }, epochBatches);
}

/**
 * A {@link TrainStream} over a dataset loaded on first use (one load per stream, reused across its epochs): each
 * epoch sets the loaded dataset to that epoch first, so the order never depends on how many epochs this process
 * iterated before (a resumed run starts at a later epoch).
 */
export function lazyTrainStream(size: number, load: () => Promise<Dataset<Batch>>): TrainStream {
  let loaded: Promise<Dataset<Batch>> | undefined;
  return trainStream(size, async function* (epoch) {
    const data = await (loaded ??= load());
    if (data.setEpoch === undefined) throw new TypeError('lazyTrainStream: the loaded dataset has no setEpoch, so its epochs cannot be chosen');
    data.setEpoch(epoch);
    yield* data;
  });
}
