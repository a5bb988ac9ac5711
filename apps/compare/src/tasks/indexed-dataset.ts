import { type Batch, type Dataset, Rng } from '@gated/tensor';

/**
 * A seeded, shuffled training stream over `count` examples that `gather(indices)` turns into a batch: epoch e
 * visits the examples in `new Rng(seed).fork(e)`'s permutation. Lets every model seed see its own order while
 * the data split stays fixed.
 */
export function shuffledBatches(count: number, batchSize: number, seed: number, gather: (indices: readonly number[]) => Batch): Dataset<Batch> {
  const size = Math.ceil(count / batchSize);
  let epoch = 0;
  return {
    size,
    async *[Symbol.asyncIterator]() {
      const order = new Rng(seed).fork(epoch++).permutation(count);
      for (let k = 0; k < size; k++) yield gather(order.slice(k * batchSize, (k + 1) * batchSize));
    },
  };
}

/** Consecutive index ranges [start, end) of at most `size` items covering `count` items, optionally only the first `limit`. */
export function chunks(count: number, size: number, limit = 0): Array<readonly number[]> {
  const n = limit > 0 ? Math.min(limit, count) : count;
  const out: number[][] = [];
  for (let start = 0; start < n; start += size) out.push(Array.from({ length: Math.min(size, n - start) }, (_, i) => start + i));
  return out;
}
