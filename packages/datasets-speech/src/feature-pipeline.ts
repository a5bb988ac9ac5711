import { ArgumentError, assertInteger, assertObject, checkOptions, type OptionSpec } from '@gated/tensor';
import { cmvnPerUtterance } from './cmvn.js';
import { addDeltas } from './deltas.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { fbank } from './kaldi-fbank.js';
import { mfcc } from './kaldi-mfcc.js';
import type { FbankOptions, MfccOptions, SpectrogramOptions } from './kaldi-options.js';
import { spectrogram } from './kaldi-spectrogram.js';
import { type LogMelOptions, logMelSpectrogram } from './log-mel.js';
import { resample } from './resample.js';

/** Which features a {@link FeaturePipeline} computes. */
export type FeatureKind = 'mfcc' | 'fbank' | 'spectrogram' | 'log-mel';

/**
 * Everything that turns a clip into model input, as plain JSON: save it with a model's config to compute the
 * same features at inference time. Also the key of the on-disk feature cache.
 */
export interface FeaturePipeline {
  readonly kind: FeatureKind;
  /** Audio is resampled to this rate (Hz) before feature extraction. */
  readonly sampleRate: number;
  /** Options of the feature function, without `sampleRate` (Kaldi defaults when omitted). */
  readonly options?:
    | Omit<MfccOptions, 'sampleRate'>
    | Omit<FbankOptions, 'sampleRate'>
    | Omit<SpectrogramOptions, 'sampleRate'>
    | Omit<LogMelOptions, 'sampleRate'>;
  /** Append Δ (1) or Δ and ΔΔ (2) with Kaldi's window 2. Default 0. */
  readonly deltas?: 0 | 1 | 2;
  /** Per-utterance mean (and variance) normalisation after deltas. Default 'none'. */
  readonly utteranceCmvn?: 'none' | 'mean' | 'mean-variance';
}

const KINDS: readonly FeatureKind[] = ['mfcc', 'fbank', 'spectrogram', 'log-mel'];

const PIPELINE_SPEC = { kind: KINDS, sampleRate: 'integer', options: 'object', deltas: [0, 1, 2], utteranceCmvn: ['none', 'mean', 'mean-variance'] } as const satisfies OptionSpec;

/** Checks that `pipeline` is an object with known keys and valid enum values (cheap; no features computed). */
export function checkPipelineKeys(where: string, pipeline: FeaturePipeline): void {
  assertObject(where, pipeline, 'a feature pipeline { kind, sampleRate, options?, deltas?, utteranceCmvn? }');
  checkOptions(where, pipeline, PIPELINE_SPEC);
}

/** Checks a pipeline at the boundary, so a bad one fails before any file is read. */
export function validatePipeline(pipeline: FeaturePipeline): void {
  checkPipelineKeys('pipeline', pipeline);
  if (!KINDS.includes(pipeline.kind)) throw new ArgumentError('pipeline.kind', `one of ${KINDS.join(', ')}`, String(pipeline.kind));
  assertInteger('pipeline.sampleRate', pipeline.sampleRate, 1000, 384000);
  assertInteger('pipeline.deltas', pipeline.deltas ?? 0, 0, 2);
  const cmvn = pipeline.utteranceCmvn ?? 'none';
  if (!['none', 'mean', 'mean-variance'].includes(cmvn)) throw new ArgumentError('pipeline.utteranceCmvn', "'none', 'mean' or 'mean-variance'", String(cmvn));
  // Running the feature function on a short silence validates its options with the function's own checks.
  extractFeatures(new Float32Array(pipeline.sampleRate / 10), pipeline.sampleRate, pipeline);
}

/**
 * Runs a {@link FeaturePipeline} on mono samples recorded at `sampleRate`: resample to `pipeline.sampleRate`,
 * compute the features, append deltas, normalise per utterance.
 *
 * @example
 * const x = extractFeatures(mono, 44100, { kind: 'mfcc', sampleRate: 16000, deltas: 2 }); // [frames, 39]
 */
export function extractFeatures(samples: Float32Array, sampleRate: number, pipeline: FeaturePipeline): FeatureMatrix {
  checkPipelineKeys('extractFeatures pipeline', pipeline);
  const audio = sampleRate === pipeline.sampleRate ? samples : resample(samples, sampleRate, pipeline.sampleRate);
  const options = { ...(pipeline.options ?? {}), sampleRate: pipeline.sampleRate };
  let feats: FeatureMatrix;
  switch (pipeline.kind) {
    case 'mfcc':
      feats = mfcc(audio, options as MfccOptions);
      break;
    case 'fbank':
      feats = fbank(audio, options as FbankOptions);
      break;
    case 'spectrogram':
      feats = spectrogram(audio, options as SpectrogramOptions);
      break;
    case 'log-mel':
      feats = logMelSpectrogram(audio, options as LogMelOptions);
      break;
    default:
      throw new ArgumentError('pipeline.kind', `one of ${KINDS.join(', ')}`, String(pipeline.kind));
  }
  const order = pipeline.deltas ?? 0;
  if (order > 0) feats = addDeltas(feats, { order, window: 2 });
  const cmvn = pipeline.utteranceCmvn ?? 'none';
  if (cmvn !== 'none') feats = cmvnPerUtterance(feats, { normVars: cmvn === 'mean-variance' });
  return feats;
}
