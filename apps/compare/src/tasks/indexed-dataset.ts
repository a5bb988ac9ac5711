import { type Batch, Rng } from '@gated/tensor';
import { type TrainStream, trainStream } from './train-stream.js';

/**
 * A seeded, shuffled training stream over `count` examples that `gather(indices)` turns into a batch: epoch e
 * visits the examples in `new Rng(seed).fork(e)`'s permutation. Lets every model seed see its own order while
 * the data split stays fixed.
 */
export function shuffledBatches(count: number, batchSize: number, seed: number, gather: (indices: readonly number[]) => Batch): TrainStream {
  const size = Math.ceil(count / batchSize);
  return trainStream(size, async function* (epoch) {
    const order = new Rng(seed).fork(epoch).permutation(count);
    for (let k = 0; k < size; k++) yield gather(order.slice(k * batchSize, (k + 1) * batchSize));
  });
}
