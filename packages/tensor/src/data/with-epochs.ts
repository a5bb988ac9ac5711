import type { Batch } from './dataset.js';
import type { EpochDataset } from './in-memory-dataset.js';
import { assertInteger } from '../check/shape-check.js';

/**
 * Builds an {@link EpochDataset} from `fields` and a generator of one epoch's batches: each iteration runs
 * `epochBatches(epoch)` for the current epoch and then advances it; `setEpoch` moves it for exact resume.
 * `epochBatches` must depend on (its seed, `epoch`) alone, so that batch k of epoch e is the same whichever
 * epochs were iterated before.
 *
 * @example
 * const data = withEpochs({ size: 10 }, async function* (epoch) {
 *   const order = new Rng(seed).fork(epoch).permutation(n);
 *   for (let k = 0; k < 10; k++) yield gather(order.slice(k * 8, (k + 1) * 8));
 * });
 */
export function withEpochs<Fields extends object, B = Batch>(
  fields: Fields,
  epochBatches: (epoch: number) => AsyncIterable<B>,
): Fields & EpochDataset<B> {
  let epoch = 0;
  return Object.defineProperties(
    { ...fields },
    {
      epoch: { get: () => epoch, enumerable: true },
      setEpoch: {
        value: (e: number) => {
          assertInteger('epoch', e, 0);
          epoch = e;
        },
      },
      [Symbol.asyncIterator]: {
        value: () => {
          const current = epoch;
          epoch += 1;
          return epochBatches(current)[Symbol.asyncIterator]();
        },
      },
    },
  ) as Fields & EpochDataset<B>;
}
