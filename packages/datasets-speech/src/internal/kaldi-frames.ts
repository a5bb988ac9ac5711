import { Rng } from '@gated/tensor';
import type { KaldiWindowType, ResolvedFrameOptions } from '../kaldi-options.js';

/** numeric_limits<float>::epsilon(), Kaldi's floor inside every log. */
export const FLOAT_EPSILON = 1.1920928955078125e-7;

/** Kaldi's `FeatureWindowFunction` (symmetric windows, as torchaudio builds them). */
export function kaldiWindow(type: KaldiWindowType, size: number, blackmanCoeff: number): Float64Array {
  const w = new Float64Array(size);
  const a = (2 * Math.PI) / (size - 1);
  for (let i = 0; i < size; i++) {
    const hann = 0.5 - 0.5 * Math.cos(a * i);
    switch (type) {
      case 'hanning':
        w[i] = hann;
        break;
      case 'povey':
        w[i] = hann ** 0.85;
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(a * i);
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      case 'blackman':
        w[i] = blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
        break;
    }
  }
  return w;
}

/** Kaldi's frame count: whole frames only (snip_edges) or one per shift with reflected ends. */
export function numFrames(numSamples: number, o: ResolvedFrameOptions): number {
  if (numSamples < o.minDuration * o.sampleRate) return 0;
  if (o.snipEdges) return numSamples < o.windowSize ? 0 : 1 + Math.floor((numSamples - o.windowSize) / o.windowShift);
  return Math.floor((numSamples + Math.floor(o.windowShift / 2)) / o.windowShift);
}

// Index into the signal reflected at both ends: … 2 1 0 | 0 1 2 … n−1 | n−1 n−2 … (Kaldi's ExtractWindow).
function reflect(j: number, n: number): number {
  let i = j;
  while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
  return i;
}

/**
 * Cuts `samples` into Kaldi frames and hands each one to `onFrame`, processed as `_get_window` does: scale to
 * 16-bit, dither, remove DC, measure raw log energy, pre-emphasise, window, zero-pad to `paddedWindowSize`,
 * and (unless raw) measure the log energy of the windowed frame. `frame` is reused between calls.
 */
export function forEachFrame(
  samples: Float32Array,
  o: ResolvedFrameOptions,
  onFrame: (index: number, frame: Float64Array, logEnergy: number) => void,
): number {
  const n = samples.length;
  const frames = numFrames(n, o);
  // Options copied to locals: the hot loops below should not look properties up on a large options object.
  const size = o.windowSize;
  const padded = o.paddedWindowSize;
  const shift = o.windowShift;
  const scale = o.sampleScale;
  const dither = o.dither;
  const removeDc = o.removeDcOffset;
  const rawEnergy = o.rawEnergy;
  const c = o.preemphasisCoefficient;
  const window = kaldiWindow(o.windowType, size, o.blackmanCoeff);
  const frame = new Float64Array(padded);
  const rng = dither > 0 ? new Rng(o.seed) : undefined;
  const logFloor = o.energyFloor > 0 ? Math.log(o.energyFloor) : Number.NEGATIVE_INFINITY;
  const logEnergy = (len: number): number => {
    let sum = 0;
    for (let j = 0; j < len; j++) sum += frame[j]! * frame[j]!;
    return Math.max(Math.log(Math.max(sum, FLOAT_EPSILON)), logFloor);
  };
  const pad = o.snipEdges ? 0 : Math.floor(size / 2) - Math.floor(shift / 2);
  for (let f = 0; f < frames; f++) {
    const start = f * shift - pad;
    if (start >= 0 && start + size <= n) for (let j = 0; j < size; j++) frame[j] = samples[start + j]! * scale;
    else for (let j = 0; j < size; j++) frame[j] = samples[reflect(start + j, n)]! * scale;
    if (rng !== undefined) for (let j = 0; j < size; j++) frame[j]! += rng.normal() * dither;
    if (removeDc) {
      let mean = 0;
      for (let j = 0; j < size; j++) mean += frame[j]!;
      mean /= size;
      for (let j = 0; j < size; j++) frame[j]! -= mean;
    }
    let energy = rawEnergy ? logEnergy(size) : 0;
    if (c !== 0) {
      // x[j] −= c · x[j−1], with x[−1] = x[0]
      for (let j = size - 1; j > 0; j--) frame[j]! -= c * frame[j - 1]!;
      frame[0]! -= c * frame[0]!;
    }
    for (let j = 0; j < size; j++) frame[j]! *= window[j]!;
    frame.fill(0, size);
    if (!rawEnergy) energy = logEnergy(padded);
    onFrame(f, frame, energy);
  }
  return frames;
}
