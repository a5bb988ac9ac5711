import { BATCHING_SPEC, type BatchingOptions, type EpochDataset, checkBatching } from './in-memory-dataset.js';
import { ArgumentError } from '../check/errors.js';
import { describeValue } from '../check/options.js';
import { type Example, collate } from './collate.js';
import { Rng } from '../random/rng.js';
import { assertInteger } from '../check/shape-check.js';
import { withEpochs } from './with-epochs.js';

/** Options of {@link streamingDataset}. */
export interface StreamingOptions extends Omit<BatchingOptions, 'shuffle'> {
  /**
   * Size of the shuffle buffer (tf.data's `shuffle(bufferSize)`): examples are drawn at random from a window of
   * this many, seeded per epoch. 0 or 1 keeps source order. Default 0.
   */
  readonly shuffleBuffer?: number;
  /** Batches per epoch, when the source's length is known. Absent means unknown (possibly unbounded). */
  readonly size?: number;
}

/**
 * A dataset over examples read lazily from a source — a file reader, a generator, a network stream — without
 * holding them all in memory. `source(epoch)` is called at the start of every epoch and must yield that epoch's
 * examples (sync or async iterable). Batches are padded like {@link collate}.
 *
 * @example
 * const data = streamingDataset(() => readExamples('train.jsonl'), { batchSize: 64, shuffleBuffer: 1024, seed: 3 });
 */
export function streamingDataset(
  source: (epoch: number) => AsyncIterable<Example> | Iterable<Example>,
  options: StreamingOptions,
): EpochDataset {
  const { shuffle: _, ...spec } = BATCHING_SPEC;
  checkBatching('streamingDataset', options, { ...spec, shuffleBuffer: 'integer', size: 'integer' });
  if (typeof source !== 'function') throw new ArgumentError('source', 'a function (epoch) => iterable of examples', describeValue(source));
  const { batchSize, shuffleBuffer = 0, seed = 0, dropRemainder = false, size, ...collateOptions } = options;
  assertInteger('shuffleBuffer', shuffleBuffer, 0);
  if (size !== undefined) assertInteger('size', size, 0);
  const dataset = withEpochs({}, async function* (epoch) {
    const rng = new Rng(seed).fork(epoch);
    let pending: Example[] = [];
    for await (const example of shuffled(source(epoch), shuffleBuffer, rng)) {
      pending.push(example);
      if (pending.length === batchSize) {
        const batch = pending;
        pending = [];
        yield collate(batch, collateOptions);
      }
    }
    if (pending.length > 0 && !dropRemainder) yield collate(pending, collateOptions);
  });
  return size === undefined ? dataset : Object.defineProperty(dataset, 'size', { value: size, enumerable: true });
}

// A shuffle buffer: keep `capacity` examples, emit a random one and put the next arrival in its place.
async function* shuffled(items: AsyncIterable<Example> | Iterable<Example>, capacity: number, rng: Rng): AsyncGenerator<Example> {
  if (capacity <= 1) {
    yield* items;
    return;
  }
  const buffer: Example[] = [];
  for await (const item of items) {
    if (buffer.length < capacity) {
      buffer.push(item);
      continue;
    }
    const i = rng.int(capacity);
    const out = buffer[i] ?? item; // i < capacity = buffer.length: always an element
    buffer[i] = item;
    yield out;
  }
  rng.shuffle(buffer);
  yield* buffer;
}
