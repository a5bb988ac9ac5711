import { readFile } from './platform/node.js';
import { ArgumentError, assertInteger, type Batch, type Dataset, type EpochDataset, Rng, assertObject, checkOptions, describeValue, withEpochs } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { applyCmvn, CmvnAccumulator, type CmvnStats } from './cmvn.js';
import { downmixToMono } from './downmix.js';
import { SpeechDataError } from './errors.js';
import { FeatureCache } from './feature-cache.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { extractFeatures, type FeaturePipeline, validatePipeline } from './feature-pipeline.js';
import type { SpeechCorpus, Utterance } from './speech-corpus.js';
import { decodeWav } from './wav-decode.js';
import { at } from './internal/at.js';

/** A labelled feature matrix, the unit {@link batchUtterances} pads into batches. */
export interface LabelledFeatures {
  readonly features: FeatureMatrix;
  readonly label: number;
}

/** Options of {@link batchUtterances}. */
export interface BatchOptions {
  /** Default 32. */
  readonly batchSize?: number;
  /** Reshuffle every epoch. Default false. */
  readonly shuffle?: boolean;
  /** Seed of the shuffles; epoch e uses `new Rng(seed).fork(e)`, so every run sees the same orders. Default 0. */
  readonly seed?: number;
  /** Drop the last, smaller batch. Default false. */
  readonly dropLast?: boolean;
}

/**
 * Turns `count` labelled utterances, fetched by index (from memory, disk or a cache), into a {@link Dataset} of
 * padded batches: `x` [B, T, F] float32 zero-padded to the longest utterance in the batch, `y` [B] int32
 * labels, `lengths` [B] int32 valid frames. Only one batch of utterances is fetched at a time. The consumer
 * disposes each batch's tensors. Epoch e's order depends on (seed, e) alone; `setEpoch` picks the epoch the next
 * iteration yields (a trainer calls it so a resumed run sees the order of an uninterrupted one).
 *
 * @example
 * const ds = batchUtterances(items.length, (i) => items[i], { batchSize: 16, shuffle: true, seed: 1 });
 * for await (const { x, y, lengths } of ds) { ...; tf.dispose([x, y, lengths]); }
 */
export function batchUtterances(
  count: number,
  fetch: (index: number) => LabelledFeatures | Promise<LabelledFeatures>,
  options: BatchOptions = {},
): EpochDataset<Batch> & { readonly size: number } {
  checkOptions('batchUtterances', options, { batchSize: 'integer', shuffle: 'boolean', seed: 'integer', dropLast: 'boolean' });
  if (typeof fetch !== 'function') throw new ArgumentError('batchUtterances fetch', 'a function (index) => labelled features', describeValue(fetch));
  const batchSize = options.batchSize ?? 32;
  assertInteger('batchSize', batchSize, 1, 1 << 20);
  assertInteger('count', count, 0, 2 ** 32);
  const seed = options.seed ?? 0;
  assertInteger('seed', seed, 0, 2 ** 53);
  const shuffle = options.shuffle ?? false;
  const dropLast = options.dropLast ?? false;
  const size = dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  return withEpochs({ size }, async function* (epoch) {
    const order = shuffle ? new Rng(seed).fork(epoch).permutation(count) : Array.from({ length: count }, (_, i) => i);
    for (let b = 0; b < size; b++) {
      const items = await Promise.all(order.slice(b * batchSize, (b + 1) * batchSize).map((i) => fetch(i)));
      yield padBatch(items);
    }
  });
}

function padBatch(items: readonly LabelledFeatures[]): Batch {
  const [first] = items;
  if (first === undefined) throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', 'a batch has no utterances', { file: 'batch', expected: 'at least one utterance', actual: '0 utterances' });
  const dim = first.features.shape[1];
  const maxT = Math.max(1, ...items.map((u) => u.features.shape[0]));
  const x = new Float32Array(items.length * maxT * dim);
  items.forEach((u, i) => {
    if (u.features.shape[1] !== dim) throw new SpeechDataError('GATED_SPEECH_BAD_FILE', 'utterances of one batch differ in feature size', { file: `batch item ${i}`, expected: `${dim} features`, actual: `${u.features.shape[1]}` });
    x.set(u.features.data, i * maxT * dim);
  });
  return {
    x: tf.tensor3d(x, [items.length, maxT, dim], 'float32'),
    y: tf.tensor1d(Int32Array.from(items, (u) => u.label), 'int32'),
    lengths: tf.tensor1d(Int32Array.from(items, (u) => u.features.shape[0]), 'int32'),
  };
}

/** Options of {@link speechDatasets}. */
export interface SpeechDatasetOptions extends Omit<BatchOptions, 'shuffle'> {
  /** The features. Default `{ kind: 'mfcc', sampleRate: 16000, deltas: 2 }`. */
  readonly pipeline?: FeaturePipeline;
  /** Global CMVN: 'fit' on the training split (default), 'none', or saved {@link CmvnStats} to apply. */
  readonly cmvn?: 'fit' | 'none' | CmvnStats;
  /** Divide by the global standard deviation too. Default true. */
  readonly normVars?: boolean;
  /** Folder of the on-disk feature cache; without it features are recomputed each epoch. */
  readonly cacheDir?: string;
}

/** The three splits of a corpus as batched datasets, with what is needed to reproduce the features. */
export interface SpeechDatasets {
  readonly train: Dataset<Batch>;
  readonly validation: Dataset<Batch>;
  readonly test: Dataset<Batch>;
  readonly labels: readonly string[];
  /** Columns of `x` (features × (deltas + 1)). */
  readonly featureDim: number;
  readonly pipeline: FeaturePipeline;
  /** The global CMVN statistics applied, fitted on the training split only; save them with the model config. */
  readonly cmvn?: CmvnStats;
  readonly normVars: boolean;
}

/** Reads a WAV clip and computes its features (downmix, resample, pipeline). */
async function clipFeatures(path: string, pipeline: FeaturePipeline): Promise<FeatureMatrix> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new SpeechDataError('GATED_SPEECH_BAD_FILE', 'cannot read the clip', { file: path, expected: 'a readable WAV file', actual: String((error as Error).message) }, { cause: error });
  }
  let audio: ReturnType<typeof decodeWav>;
  try {
    audio = decodeWav(bytes);
  } catch (error) {
    throw new SpeechDataError('GATED_SPEECH_BAD_FILE', (error as Error).message, { file: path, expected: 'a WAV file decodeWav can read', actual: (error as { code?: string }).code ?? 'an error' }, { cause: error });
  }
  return extractFeatures(downmixToMono(audio.channelData), audio.sampleRate, pipeline);
}

/**
 * Streams a {@link SpeechCorpus} from disk as three batched datasets: each clip is decoded, downmixed,
 * resampled and turned into features when its batch is needed (or read from `cacheDir`), then normalised with
 * global CMVN statistics fitted on the training split only. The training split is reshuffled every epoch
 * (seeded); validation and test keep their order.
 *
 * @example
 * const corpus = await listFsdd('free-spoken-digit-dataset/recordings');
 * const { train, test, cmvn } = await speechDatasets(corpus, { pipeline: { kind: 'mfcc', sampleRate: 8000, deltas: 2 }, cacheDir: '.cache' });
 */
export async function speechDatasets(corpus: SpeechCorpus, options: SpeechDatasetOptions = {}): Promise<SpeechDatasets> {
  checkOptions('speechDatasets', options, { batchSize: 'integer', seed: 'integer', dropLast: 'boolean', pipeline: 'object', cmvn: 'any', normVars: 'boolean', cacheDir: 'string' });
  assertObject('speechDatasets corpus', corpus, 'a SpeechCorpus { train, validation, test, labels }');
  const pipeline = options.pipeline ?? { kind: 'mfcc', sampleRate: 16000, deltas: 2 };
  validatePipeline(pipeline);
  for (const split of ['train', 'validation', 'test'] as const) {
    if (split !== 'validation' && corpus[split].length === 0) {
      throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', `the ${split} split is empty`, { file: `corpus.${split}`, expected: 'at least one utterance', actual: '0 utterances' });
    }
  }
  const cache = options.cacheDir === undefined ? undefined : new FeatureCache(options.cacheDir, pipeline);
  const raw = (u: Utterance): Promise<FeatureMatrix> =>
    cache === undefined ? clipFeatures(u.path, pipeline) : cache.getOrCompute(u.path, () => clipFeatures(u.path, pipeline));
  const normVars = options.normVars ?? true;
  let stats: CmvnStats | undefined;
  const cmvn = options.cmvn ?? 'fit';
  if (cmvn === 'fit') {
    const acc = new CmvnAccumulator();
    for (const u of corpus.train) acc.add(await raw(u));
    stats = acc.stats();
  } else if (cmvn !== 'none') {
    stats = cmvn;
  }
  const [firstUtterance] = corpus.train;
  if (firstUtterance === undefined) throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', 'the training split has no utterances', { file: 'corpus.train', expected: 'at least one utterance', actual: '0 utterances' });
  const featureDim = (await raw(firstUtterance)).shape[1];
  if (stats !== undefined && stats.dim !== featureDim) {
    throw new ArgumentError('cmvn.dim', `${featureDim} (the pipeline's feature columns)`, String(stats.dim));
  }
  const fetcher = (items: readonly Utterance[]) => async (i: number): Promise<LabelledFeatures> => {
    const u = at(items, i, 'utterances');
    const f = await raw(u);
    return { features: stats === undefined ? f : applyCmvn(f, stats, { normVars }), label: u.label };
  };
  const batch = { batchSize: options.batchSize ?? 32, seed: options.seed ?? 0, dropLast: options.dropLast ?? false };
  return {
    train: batchUtterances(corpus.train.length, fetcher(corpus.train), { ...batch, shuffle: true }),
    validation: batchUtterances(corpus.validation.length, fetcher(corpus.validation), { ...batch, dropLast: false }),
    test: batchUtterances(corpus.test.length, fetcher(corpus.test), { ...batch, dropLast: false }),
    labels: corpus.labels,
    featureDim,
    pipeline,
    ...(stats === undefined ? {} : { cmvn: stats }),
    normVars,
  };
}
