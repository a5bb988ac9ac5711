import { ArgumentError, type Batch, type Dataset, checkOptions } from '@gated/tensor';
import type { CmvnStats } from './cmvn.js';
import type { FeatureMatrix } from './feature-matrix.js';
import type { FeaturePipeline } from './feature-pipeline.js';
import { loadOnce, packedAudioFromBytes, readPackedBytes } from './internal/packed-audio.js';
import { at } from './internal/at.js';
import { applyTrainingCmvn, extractSplitFeatures, featureDimOf } from './internal/split-features.js';
import { batchUtterances } from './speech-dataset.js';
import { assertSpeedFactor, speedPerturb } from './speed-perturb.js';

/** The three splits of the embedded set. */
export type SpokenDigitSplit = 'train' | 'validation' | 'test';

/** One clip of the embedded spoken-digit set. */
export interface SpokenDigitClip {
  /** Mono samples in [−1, 1] at {@link SpokenDigitsAudio.sampleRate}. */
  readonly samples: Float32Array;
  /** The digit, 0 … 9. */
  readonly label: number;
  /** The espeak-ng voice variant (the "speaker"); each voice is in exactly one split. */
  readonly voice: string;
  readonly split: SpokenDigitSplit;
}

/** The embedded set's audio and index. */
export interface SpokenDigitsAudio {
  readonly sampleRate: number;
  readonly labels: readonly string[];
  readonly voices: Readonly<Record<SpokenDigitSplit, readonly string[]>>;
  readonly clips: readonly SpokenDigitClip[];
  /** How the set was made: generator script, seed, espeak-ng and sox versions. */
  readonly generator: Readonly<Record<string, string | number>>;
}

interface IndexFile {
  sampleRate: number;
  labels: string[];
  totalSamples: number;
  generator: Record<string, string | number>;
  voices: Record<SpokenDigitSplit, string[]>;
  utterances: { offset: number; length: number; label: number; voice: string; split: SpokenDigitSplit }[];
}

/**
 * The embedded spoken-digit set's audio from its two files as bytes: the text of `data/spoken-digits.json` and
 * `data/spoken-digits.bin` already decompressed (16-bit little-endian PCM, clips back to back). For places
 * without Node's brotli, such as a browser page that fetched the files; {@link loadSpokenDigitsAudio} reads them
 * in Node and calls this.
 *
 * @throws SpeechDataError (GATED_SPEECH_BAD_FILE) when the bytes do not hold the index's sample count.
 * @example
 * const audio = spokenDigitsFromBytes(await (await fetch('spoken-digits.json')).text(), pcmBytes);
 */
export function spokenDigitsFromBytes(indexJson: string, sampleBytes: Uint8Array, file = 'spoken-digits.bin'): SpokenDigitsAudio {
  if (typeof indexJson !== 'string') throw new ArgumentError('indexJson', 'the text of spoken-digits.json', typeof indexJson);
  if (!(sampleBytes instanceof Uint8Array)) throw new ArgumentError('sampleBytes', 'a Uint8Array', typeof sampleBytes);
  const index = JSON.parse(indexJson) as IndexFile;
  const { samples } = packedAudioFromBytes(index, sampleBytes, 'pcm16', file);
  const clips = index.utterances.map((u) => ({ samples: samples(u.offset, u.length), label: u.label, voice: u.voice, split: u.split }));
  return { sampleRate: index.sampleRate, labels: index.labels, voices: index.voices, clips, generator: index.generator };
}

/**
 * Loads the audio of the embedded spoken-digit set (synthetic speech: espeak-ng saying "zero" … "nine" in 50
 * voice variants, 8 kHz, 1,500 clips; see the package README). Decoded once per process and shared. Node only
 * (brotli); in a browser, decompress the files otherwise and call {@link spokenDigitsFromBytes}.
 *
 * @example
 * const { clips, sampleRate } = await loadSpokenDigitsAudio();
 */
export const loadSpokenDigitsAudio: () => Promise<SpokenDigitsAudio> = loadOnce(async () => {
  const { indexJson, sampleBytes, file } = await readPackedBytes('spoken-digits');
  return spokenDigitsFromBytes(indexJson, sampleBytes, file);
});

/** Options of {@link loadSpokenDigits}. */
export interface SpokenDigitsOptions {
  /** Feature kind. Default 'mfcc' (Kaldi defaults at 8 kHz: 13 cepstra from 23 mel bins). */
  readonly features?: 'mfcc' | 'fbank' | 'log-mel';
  /** Options of the feature function (without sampleRate). Default: Kaldi's (or librosa's for 'log-mel' at 25/10 ms). */
  readonly featureOptions?: FeaturePipeline['options'];
  /** Append Δ and ΔΔ (Kaldi add-deltas, window 2). Default true. */
  readonly deltas?: boolean;
  /** 'global' (default): mean/variance from the training split; 'utterance': per clip; 'none'. */
  readonly cmvn?: 'global' | 'utterance' | 'none';
  /** Default 32. */
  readonly batchSize?: number;
  /** Seed of the training-split shuffles. Default 0. */
  readonly seed?: number;
  /** Keep at most this many clips per split (the first in index order: voice by voice, 30 clips each), for quick runs. */
  readonly maxPerSplit?: number;
  /**
   * Speed perturbation of the training split (Ko et al. 2015; see {@link speedPerturb}): every training clip once
   * per factor, in this order, each factor in [0.5, 2] (1 = the clip as it is), e.g. `[0.9, 1, 1.1]` triples the
   * split. Validation and test clips are never perturbed; `maxPerSplit` counts clips before perturbation.
   * Default `[1]` (none).
   */
  readonly speedPerturbation?: readonly number[];
}

/** What {@link loadSpokenDigits} returns. */
export interface SpokenDigits {
  readonly train: Dataset<Batch>;
  readonly validation: Dataset<Batch>;
  readonly test: Dataset<Batch>;
  /** 'zero' … 'nine'; `y` indexes this. */
  readonly labels: readonly string[];
  /** Columns of `x`. */
  readonly featureDim: number;
  /** Clips per split. */
  readonly counts: Readonly<Record<SpokenDigitSplit, number>>;
  readonly voices: Readonly<Record<SpokenDigitSplit, readonly string[]>>;
  /** Feature options; save with the model config to compute the same input later. */
  readonly pipeline: FeaturePipeline;
  /** Global CMVN statistics (training split only), applied with normVars; save with the model config. */
  readonly cmvn?: CmvnStats;
}

/**
 * The embedded spoken-digit task, ready to train on: features of every clip computed in memory, global CMVN
 * fitted on the training voices only, and three batched datasets (`x` [B, T, F] float32, `y` [B] int32,
 * `lengths` [B] int32). Splits are disjoint by voice, so test accuracy measures generalisation to unheard
 * voices. No download is needed.
 *
 * @example
 * const { train, test, featureDim, labels } = await loadSpokenDigits({ features: 'mfcc', deltas: true, seed: 1 });
 * // featureDim = 39 (13 MFCC + Δ + ΔΔ), labels.length = 10
 */
export async function loadSpokenDigits(options: SpokenDigitsOptions = {}): Promise<SpokenDigits> {
  checkOptions('loadSpokenDigits', options, {
    features: ['mfcc', 'fbank', 'log-mel'],
    featureOptions: 'object',
    deltas: 'boolean',
    cmvn: ['global', 'utterance', 'none'],
    batchSize: 'integer',
    seed: 'integer',
    maxPerSplit: 'integer',
    speedPerturbation: 'array',
  });
  const factors = options.speedPerturbation ?? [1];
  if (factors.length === 0) throw new ArgumentError('speedPerturbation', 'at least one factor (1 = the clips as they are)', 'an empty array');
  for (const [i, f] of factors.entries()) assertSpeedFactor(`speedPerturbation[${i}]`, f);
  const kind = options.features ?? 'mfcc';
  if (!['mfcc', 'fbank', 'log-mel'].includes(kind)) throw new ArgumentError('features', "'mfcc', 'fbank' or 'log-mel'", String(kind));
  const cmvnMode = options.cmvn ?? 'global';
  if (!['global', 'utterance', 'none'].includes(cmvnMode)) throw new ArgumentError('cmvn', "'global', 'utterance' or 'none'", String(cmvnMode));
  const audio = await loadSpokenDigitsAudio();
  const defaultOptions = kind === 'log-mel' ? { nFft: 256, winLength: 200, hopLength: 80, nMels: 40 } : {};
  const pipeline: FeaturePipeline = {
    kind,
    sampleRate: audio.sampleRate,
    options: options.featureOptions ?? defaultOptions,
    deltas: options.deltas === false ? 0 : 2,
    utteranceCmvn: cmvnMode === 'utterance' ? 'mean-variance' : 'none',
  };
  const limit = options.maxPerSplit ?? Number.POSITIVE_INFINITY;
  // The features do not depend on the seed or batch size: loads that differ only in those (one per training seed)
  // reuse the last load's features instead of resampling and re-extracting every clip.
  const key = JSON.stringify({ pipeline, limit, factors, cmvnMode });
  if (lastFeatures?.key !== key) {
    const kept = keepPerSplit(audio.clips, limit);
    const clips = kept.flatMap((clip) => (clip.split === 'train' ? factors.map((f) => (f === 1 ? clip : { ...clip, samples: speedPerturb(clip.samples, f) })) : [clip]));
    const extracted = extractSplitFeatures(clips, audio.sampleRate, pipeline, Number.POSITIVE_INFINITY, (clip, features): { features: FeatureMatrix; label: number } => ({
      features,
      label: clip.label,
    }));
    lastFeatures = { key, ...(cmvnMode === 'global' ? applyTrainingCmvn(extracted) : { splits: extracted, cmvn: undefined }) };
  }
  const { splits, cmvn } = lastFeatures;
  const batchSize = options.batchSize ?? 32;
  const seed = options.seed ?? 0;
  const dataset = (split: SpokenDigitSplit, shuffle: boolean): Dataset<Batch> =>
    batchUtterances(splits[split].length, (i) => at(splits[split], i, split), { batchSize, seed, shuffle });
  return {
    train: dataset('train', true),
    validation: dataset('validation', false),
    test: dataset('test', false),
    labels: audio.labels,
    featureDim: featureDimOf(splits),
    counts: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
    voices: audio.voices,
    pipeline,
    ...(cmvn === undefined ? {} : { cmvn }),
  };
}

/** The features of the last {@link loadSpokenDigits} call (read-only once computed), keyed by what they depend on. */
let lastFeatures: { readonly key: string; readonly splits: Record<SpokenDigitSplit, { features: FeatureMatrix; label: number }[]>; readonly cmvn: CmvnStats | undefined } | undefined;

/** The first `limit` clips of each split, in index order. */
function keepPerSplit(clips: readonly SpokenDigitClip[], limit: number): SpokenDigitClip[] {
  const counts: Record<SpokenDigitSplit, number> = { train: 0, validation: 0, test: 0 };
  return clips.filter((clip) => counts[clip.split]++ < limit);
}
