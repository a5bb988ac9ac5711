import { brotliDecompress, promisify, readFile } from './platform/node.js';
import { ArgumentError, assertInteger, checkOptions } from '@gated/tensor';
import { applyCmvn, CmvnAccumulator, type CmvnStats } from './cmvn.js';
import { SpeechDataError } from './errors.js';
import { extractFeatures, type FeaturePipeline } from './feature-pipeline.js';
import { muLawDecode } from './internal/mu-law.js';
import type { SpokenDigitSplit } from './spoken-digits.js';
import type { TranscribedFeatures } from './transcript-dataset.js';

const DATA = new URL('../data/', import.meta.url);
const unbrotli = promisify(brotliDecompress);

/** One utterance of the connected-digit corpus. */
export interface ConnectedDigitUtterance {
  /** Mono samples in [−1, 1] at {@link ConnectedDigitsAudio.sampleRate}. */
  readonly samples: Float32Array;
  /** What is said, as a digit string ("3141"); 1 … 7 digits. */
  readonly digits: string;
  /** The espeak-ng voice variant (the "speaker"); each voice is in exactly one split. */
  readonly voice: string;
  readonly split: SpokenDigitSplit;
}

/** The corpus's audio and index. */
export interface ConnectedDigitsAudio {
  readonly sampleRate: number;
  /** 'zero' … 'nine': how each digit is spoken. */
  readonly words: readonly string[];
  readonly voices: Readonly<Record<SpokenDigitSplit, readonly string[]>>;
  readonly utterances: readonly ConnectedDigitUtterance[];
  /** How the corpus was made: generator script, seed, espeak-ng and sox versions. */
  readonly generator: Readonly<Record<string, string | number>>;
}

interface IndexFile {
  sampleRate: number;
  words: string[];
  totalSamples: number;
  generator: Record<string, string | number>;
  voices: Record<SpokenDigitSplit, string[]>;
  utterances: { offset: number; length: number; digits: string; voice: string; split: SpokenDigitSplit }[];
}

let audioPromise: Promise<ConnectedDigitsAudio> | undefined;

/**
 * Loads the audio of the embedded connected-digit corpus: synthetic speech (espeak-ng) of 1,000 strings of 1–7
 * digits in 50 voice variants, 8 kHz, voice-disjoint splits (36 / 6 / 8 voices). Decoded once per process.
 *
 * @example
 * const { utterances } = await loadConnectedDigitsAudio();
 * utterances[0].digits; // e.g. '4072'
 */
export function loadConnectedDigitsAudio(): Promise<ConnectedDigitsAudio> {
  audioPromise ??= readConnectedDigits().catch((error: unknown) => {
    audioPromise = undefined;
    throw error;
  });
  return audioPromise;
}

async function readConnectedDigits(): Promise<ConnectedDigitsAudio> {
  const indexUrl = new URL('connected-digits.json', DATA);
  const binUrl = new URL('connected-digits.bin', DATA);
  const index = JSON.parse(await readFile(indexUrl, 'utf8')) as IndexFile;
  const bytes = new Uint8Array(await unbrotli(await readFile(binUrl)));
  if (bytes.length !== index.totalSamples) {
    throw new SpeechDataError('GATED_SPEECH_BAD_FILE', 'the packed audio does not match its index', { file: binUrl.pathname, expected: `${index.totalSamples} µ-law bytes`, actual: `${bytes.length} bytes` });
  }
  const utterances = index.utterances.map((u) => ({ samples: muLawDecode(bytes, u.offset, u.length), digits: u.digits, voice: u.voice, split: u.split }));
  return { sampleRate: index.sampleRate, words: index.words, voices: index.voices, utterances, generator: index.generator };
}

/** Options of {@link loadConnectedDigits}. */
export interface ConnectedDigitsOptions {
  /** Default 'mfcc' (Kaldi defaults at 8 kHz: 13 cepstra from 23 mel bins). */
  readonly features?: 'mfcc' | 'fbank';
  /** Options of the feature function (without sampleRate). Default Kaldi's, except a 20 ms frame shift (CTC needs fewer frames than labels × 2 only). */
  readonly featureOptions?: FeaturePipeline['options'];
  /** Append Δ and ΔΔ. Default true. */
  readonly deltas?: boolean;
  /** 'global' (default): mean/variance from the training split; 'utterance': per clip; 'none'. */
  readonly cmvn?: 'global' | 'utterance' | 'none';
  /** Keep at most this many utterances per split (the first in index order), for quick runs. */
  readonly maxPerSplit?: number;
}

/** What {@link loadConnectedDigits} returns: feature matrices with digit transcripts per split. */
export interface ConnectedDigits {
  readonly splits: Readonly<Record<SpokenDigitSplit, readonly TranscribedFeatures[]>>;
  /** Columns of each feature matrix. */
  readonly featureDim: number;
  readonly voices: Readonly<Record<SpokenDigitSplit, readonly string[]>>;
  /** Feature options; save with the model to compute the same input at inference time. */
  readonly pipeline: FeaturePipeline;
  /** Global CMVN statistics (training voices only), applied with normVars. */
  readonly cmvn?: CmvnStats;
}


/**
 * The connected-digit recognition task ready to train on: features of every utterance (Kaldi MFCC or fbank at a
 * 20 ms shift, Δ + ΔΔ), global CMVN fitted on the training voices only, and `tokens` = the digits (0 … 9) of each
 * transcript. Pair with {@link batchTranscripts} for padded batches.
 *
 * @example
 * const { splits, featureDim } = await loadConnectedDigits({ features: 'fbank' });
 * const train = batchTranscripts(splits.train.length, (i) => splits.train[i]!, { batchSize: 16, shuffle: true });
 */
export async function loadConnectedDigits(options: ConnectedDigitsOptions = {}): Promise<ConnectedDigits> {
  checkOptions('loadConnectedDigits', options, { features: ['mfcc', 'fbank'], featureOptions: 'object', deltas: 'boolean', cmvn: ['global', 'utterance', 'none'], maxPerSplit: 'integer' });
  const kind = options.features ?? 'mfcc';
  if (kind !== 'mfcc' && kind !== 'fbank') throw new ArgumentError('features', "'mfcc' or 'fbank'", String(kind));
  const cmvnMode = options.cmvn ?? 'global';
  if (!['global', 'utterance', 'none'].includes(cmvnMode)) throw new ArgumentError('cmvn', "'global', 'utterance' or 'none'", String(cmvnMode));
  const limit = options.maxPerSplit ?? Number.POSITIVE_INFINITY;
  if (options.maxPerSplit !== undefined) assertInteger('maxPerSplit', options.maxPerSplit, 1);
  const audio = await loadConnectedDigitsAudio();
  const pipeline: FeaturePipeline = {
    kind,
    sampleRate: audio.sampleRate,
    options: options.featureOptions ?? { frameShiftMs: 20 },
    deltas: options.deltas === false ? 0 : 2,
    utteranceCmvn: cmvnMode === 'utterance' ? 'mean-variance' : 'none',
  };
  const splits: Record<SpokenDigitSplit, TranscribedFeatures[]> = { train: [], validation: [], test: [] };
  for (const u of audio.utterances) {
    const bucket = splits[u.split];
    if (bucket.length < limit) bucket.push({ features: extractFeatures(u.samples, audio.sampleRate, pipeline), tokens: [...u.digits].map(Number) });
  }
  let cmvn: CmvnStats | undefined;
  if (cmvnMode === 'global') {
    const acc = new CmvnAccumulator();
    for (const u of splits.train) acc.add(u.features);
    cmvn = acc.stats();
    for (const split of Object.values(splits)) {
      for (let i = 0; i < split.length; i++) split[i] = { ...split[i]!, features: applyCmvn(split[i]!.features, cmvn, { normVars: true }) };
    }
  }
  return { splits, featureDim: splits.train[0]!.features.shape[1], voices: audio.voices, pipeline, ...(cmvn === undefined ? {} : { cmvn }) };
}
