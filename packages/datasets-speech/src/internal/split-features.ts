import { applyCmvn, CmvnAccumulator, type CmvnStats } from '../cmvn.js';
import { SpeechDataError } from '../errors.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import { extractFeatures, type FeaturePipeline } from '../feature-pipeline.js';
import type { SpokenDigitSplit } from '../spoken-digits.js';

/** Anything with a feature matrix, kept per split. */
type Splits<Entry> = Record<SpokenDigitSplit, Entry[]>;

/**
 * The features of every clip of an embedded corpus, split by split, keeping the first `limit` clips of each split
 * (index order); `entry` turns a clip and its features into what the loader keeps.
 */
export function extractSplitFeatures<Clip extends { readonly samples: Float32Array; readonly split: SpokenDigitSplit }, Entry>(
  clips: readonly Clip[],
  sampleRate: number,
  pipeline: FeaturePipeline,
  limit: number,
  entry: (clip: Clip, features: FeatureMatrix) => Entry,
): Splits<Entry> {
  const splits: Splits<Entry> = { train: [], validation: [], test: [] };
  for (const clip of clips) {
    const bucket = splits[clip.split];
    if (bucket.length < limit) bucket.push(entry(clip, extractFeatures(clip.samples, sampleRate, pipeline)));
  }
  return splits;
}

/** Global CMVN: statistics of the training split only, applied (with normVars) to every split. */
export function applyTrainingCmvn<Entry extends { readonly features: FeatureMatrix }>(splits: Splits<Entry>): { splits: Splits<Entry>; cmvn: CmvnStats } {
  const acc = new CmvnAccumulator();
  for (const u of splits.train) acc.add(u.features);
  const cmvn = acc.stats();
  const normalise = (split: Entry[]): Entry[] => split.map((u) => ({ ...u, features: applyCmvn(u.features, cmvn, { normVars: true }) }));
  return { splits: { train: normalise(splits.train), validation: normalise(splits.validation), test: normalise(splits.test) }, cmvn };
}

/** Columns of the feature matrices (those of the first training clip). */
export function featureDimOf(splits: Splits<{ readonly features: FeatureMatrix }>): number {
  const first = splits.train[0];
  if (first === undefined) throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', 'the training split has no clips', { file: 'embedded corpus', expected: 'at least one training clip', actual: '0 clips' });
  return first.features.shape[1];
}
