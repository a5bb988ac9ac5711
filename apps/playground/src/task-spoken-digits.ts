import { SequenceModel } from '@gated/cells';
import { type CmvnStats, type FeatureMatrix, type FeaturePipeline, type SpokenDigitsAudio, applyCmvn, extractFeatures, fitCmvn, spokenDigitsFromBytes } from '@gated/datasets-speech';
import { Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type { PlaygroundTask } from './task.js';

/** Where the build puts the embedded set (next to the worker's script, in `assets/`), see vite.config.ts. */
export const SPOKEN_DIGITS_INDEX = 'spoken-digits.json';
/** The decompressed PCM16 sample file of @gated/datasets-speech, gzipped (the `.bin` suffix keeps static servers from marking it Content-Encoding: gzip). */
export const SPOKEN_DIGITS_SAMPLES = 'spoken-digits-pcm16.gz.bin';

/**
 * Features as apps/compare's speech-digits task computes them (13 Kaldi MFCCs at 8 kHz, Δ and ΔΔ: 39 per
 * frame, global CMVN fitted on the training voices), but with a 20 ms frame shift so a clip (0.2–1.1 s) is at
 * most ~54 steps.
 */
export const SPOKEN_DIGITS_PIPELINE: FeaturePipeline = { kind: 'mfcc', sampleRate: 8000, options: { frameShiftMs: 20 }, deltas: 2, utteranceCmvn: 'none' };
const FEATURES = 39;

interface Example {
  readonly features: FeatureMatrix;
  readonly label: number;
}

/** The set with features computed: training voices, held-out (test) voices and the digit names. */
export interface SpokenDigitsData {
  readonly train: readonly Example[];
  readonly test: readonly Example[];
  readonly labels: readonly string[];
  readonly cmvn: CmvnStats;
}

/** Features of every clip; CMVN statistics from the training voices only. */
export function prepareSpokenDigits(audio: SpokenDigitsAudio): SpokenDigitsData {
  const raw = audio.clips.map((clip) => ({ clip, features: extractFeatures(clip.samples, audio.sampleRate, SPOKEN_DIGITS_PIPELINE) }));
  const cmvn = fitCmvn(raw.filter((r) => r.clip.split === 'train').map((r) => r.features));
  const examples = (split: 'train' | 'test'): Example[] =>
    raw.filter((r) => r.clip.split === split).map((r) => ({ features: applyCmvn(r.features, cmvn, { normVars: true }), label: r.clip.label }));
  return { train: examples('train'), test: examples('test'), labels: audio.labels, cmvn };
}

/** Decompresses gzip bytes with the platform's DecompressionStream (browsers, and Node ≥ 18). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches the set the build emitted (index and gzipped PCM16) from `base` and decodes it into clips. */
export async function fetchSpokenDigits(base: string | URL, fetchImpl: typeof fetch = fetch): Promise<SpokenDigitsAudio> {
  const get = async (name: string): Promise<Response> => {
    const response = await fetchImpl(new URL(name, base));
    if (!response.ok) throw new Error(`could not load ${name}: HTTP ${response.status}`);
    return response;
  };
  const [index, packed] = await Promise.all([get(SPOKEN_DIGITS_INDEX).then((r) => r.text()), get(SPOKEN_DIGITS_SAMPLES).then((r) => r.arrayBuffer())]);
  return spokenDigitsFromBytes(index, await gunzip(new Uint8Array(packed)), SPOKEN_DIGITS_SAMPLES);
}

let data: SpokenDigitsData | undefined;

/** Gives the task its data (the worker fetches it, Node tests read the package's files); computes the features once. */
export function setSpokenDigitsAudio(audio: SpokenDigitsAudio): SpokenDigitsData {
  data = prepareSpokenDigits(audio);
  return data;
}

/** True once {@link setSpokenDigitsAudio} ran. */
export const spokenDigitsReady = (): boolean => data !== undefined;

function loaded(): SpokenDigitsData {
  if (data === undefined) throw new Error('the spoken digits are not loaded yet (setSpokenDigitsAudio)');
  return data;
}

/** `examples` as [B, T, 39]: the last T frames of each clip, zeros (the training mean) before shorter ones, so the last step is the clip's end. */
function stack(examples: readonly Example[], len: number): Float32Array {
  const x = new Float32Array(examples.length * len * FEATURES);
  examples.forEach((e, b) => {
    const [frames] = e.features.shape;
    const kept = Math.min(frames, len);
    x.set(e.features.data.subarray((frames - kept) * FEATURES, frames * FEATURES), (b * len + len - kept) * FEATURES);
  });
  return x;
}

/** Accuracy of `model` on every clip of the held-out (test) voices. */
export function heldOutAccuracy(model: SequenceModel, seqLen: number): number {
  const { test } = loaded();
  return tf.tidy(() => {
    const x = tf.tensor3d(stack(test, seqLen), [test.length, seqLen, FEATURES]);
    const predicted = tf.argMax(model.forward(x).output, -1).dataSync();
    return test.reduce((n, e, i) => n + (predicted[i] === e.label ? 1 : 0), 0) / test.length;
  });
}

/** Which digit a clip says, from its MFCC frames: cross-entropy over 10 classes from the last step. */
export const spokenDigitsTask: PlaygroundTask = {
  featureSize: FEATURES,
  createModel: (kind, s) => new SequenceModel({ kind, inputSize: FEATURES, hiddenSize: s.hiddenSize, outputSize: 10, pooling: 'last', seed: s.seed }),
  batch: (rng, s) => {
    const { train } = loaded();
    const picked = Array.from({ length: s.batchSize }, () => train[rng.int(train.length)] as Example);
    return {
      x: tf.tensor3d(stack(picked, s.seqLen), [s.batchSize, s.seqLen, FEATURES]),
      y: tf.tensor1d(picked.map((e) => e.label), 'int32'),
    };
  },
  loss: (output, y) => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y as tf.Tensor1D, 10), tf.logSoftmax(output)), -1))) as tf.Scalar,
  probe: (s, count) => {
    const { test, labels } = loaded();
    const rng = new Rng(s.seed).fork('probe');
    const picked = Array.from({ length: count }, () => test[rng.int(test.length)] as Example);
    const names = picked.map((e) => {
      const kept = Math.min(e.features.shape[0], s.seqLen);
      return Array.from({ length: s.seqLen }, (_, t) => (t >= s.seqLen - kept ? (labels[e.label] ?? '') : ''));
    });
    return { x: { dtype: 'float32', shape: [count, s.seqLen, FEATURES], values: stack(picked, s.seqLen) }, labels: names };
  },
};
