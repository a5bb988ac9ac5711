import { ArgumentError, assertInteger, assertNumberInRange, assertObject, checkOptions, type OptionSpec } from '@gated/tensor';
import type { FeatureMatrix } from './feature-matrix.js';
import { applyMelBank, slaneyMelBank } from './internal/mel-banks.js';
import { PowerSpectrum } from './internal/power-spectrum.js';
import { assertSamples } from './internal/samples.js';

/**
 * Options of {@link logMelSpectrogram}, named and defaulted as librosa's `feature.melspectrogram` +
 * `power_to_db` (librosa ≥ 0.10): n_fft 2048, hop_length win_length/4, Hann window, center=True with zero
 * ('constant') padding, Slaney mel scale and area normalisation, fmin 0, fmax sr/2, ref 1, amin 1e-10, top_db 80.
 */
export interface LogMelOptions {
  /** Sample rate in Hz (`sr`). Required. */
  readonly sampleRate: number;
  /** FFT size (`n_fft`). Default 2048. */
  readonly nFft?: number;
  /** Window length, ≤ nFft, centred in the FFT frame (`win_length`). Default nFft. */
  readonly winLength?: number;
  /** Hop between frames (`hop_length`). Default floor(winLength / 4). */
  readonly hopLength?: number;
  /** Number of mel bands (`n_mels`). Default 128. */
  readonly nMels?: number;
  /** Lowest band edge in Hz (`fmin`). Default 0. */
  readonly fMin?: number;
  /** Highest band edge in Hz (`fmax`). Default sampleRate / 2. */
  readonly fMax?: number;
  /** Pad nFft/2 samples on both sides so frame t is centred on sample t·hop (`center`). Default true. */
  readonly center?: boolean;
  /** How `center` pads: zeros ('constant', librosa ≥ 0.10) or mirror ('reflect', older librosa). Default 'constant'. */
  readonly padMode?: 'constant' | 'reflect';
  /** Clip to this many dB below the utterance's peak; null = no clipping (`top_db`). Default 80. */
  readonly topDb?: number | null;
  /** Floor on power before the log (`amin`). Default 1e-10. */
  readonly amin?: number;
  /** Reference power for 0 dB (`ref`). Default 1. */
  readonly ref?: number;
}

const LOG_MEL_SPEC = {
  sampleRate: 'number',
  nFft: 'integer',
  winLength: 'integer',
  hopLength: 'integer',
  nMels: 'integer',
  fMin: 'number',
  fMax: 'number',
  center: 'boolean',
  padMode: ['constant', 'reflect'],
  topDb: 'any',
  amin: 'number',
  ref: 'number',
} as const satisfies OptionSpec;

// Mirror without repeating the edge sample: … 2 1 | 0 1 2 … (numpy's 'reflect').
function mirror(j: number, n: number): number {
  if (n === 1) return 0;
  let i = j;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

/**
 * A librosa-style log-mel spectrogram — the preset many speech and audio models outside Kaldi are trained on:
 * |STFT|² with a periodic Hann window, Slaney mel filterbank (`htk=False, norm='slaney'`), then
 * 10·log10(max(S, amin) / ref) clipped to `topDb` below the peak. Equals
 * `librosa.power_to_db(librosa.feature.melspectrogram(y=samples, sr=…), ref=1.0).T` (and torchaudio's
 * `MelSpectrogram(norm='slaney', mel_scale='slaney', pad_mode='constant')` + `AmplitudeToDB(top_db=80)`).
 * Unlike Kaldi features, samples are used as given in [−1, 1], and rows are frames: the result is
 * [frames, nMels], the transpose of librosa's layout.
 *
 * @example
 * const logMel = logMelSpectrogram(samples, { sampleRate: 16000, nFft: 512, winLength: 400, hopLength: 160, nMels: 40 });
 */
export function logMelSpectrogram(samples: Float32Array, options: LogMelOptions): FeatureMatrix {
  assertSamples(samples);
  assertObject('logMelSpectrogram options', options, 'an options object with sampleRate, e.g. { sampleRate: 16000 }');
  checkOptions('logMelSpectrogram', options, LOG_MEL_SPEC);
  const sampleRate = options.sampleRate;
  assertNumberInRange('sampleRate', sampleRate, 1, 1e7);
  const nFft = options.nFft ?? 2048;
  assertInteger('nFft', nFft, 2, 1 << 20);
  const winLength = options.winLength ?? nFft;
  assertInteger('winLength', winLength, 1, nFft);
  const hop = options.hopLength ?? Math.floor(winLength / 4);
  assertInteger('hopLength', hop, 1, 1 << 24);
  const nMels = options.nMels ?? 128;
  assertInteger('nMels', nMels, 1, 10000);
  const fMin = options.fMin ?? 0;
  const fMax = options.fMax ?? sampleRate / 2;
  if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2)) {
    throw new ArgumentError('fMin/fMax', `0 ≤ fMin < fMax ≤ ${sampleRate / 2} Hz`, `fMin ${fMin}, fMax ${fMax}`);
  }
  const center = options.center ?? true;
  const padMode = options.padMode ?? 'constant';
  if (padMode !== 'constant' && padMode !== 'reflect') throw new ArgumentError('padMode', "'constant' or 'reflect'", String(padMode));
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null) assertNumberInRange('topDb', topDb, 0, 1e6);
  const amin = options.amin ?? 1e-10;
  assertNumberInRange('amin', amin, Number.MIN_VALUE, 1e6);
  const ref = options.ref ?? 1;
  assertNumberInRange('ref', ref, Number.MIN_VALUE, Number.MAX_VALUE);

  const n = samples.length;
  const pad = center ? Math.floor(nFft / 2) : 0;
  const frames = n + 2 * pad < nFft ? 0 : 1 + Math.floor((n + 2 * pad - nFft) / hop);
  // Periodic Hann of winLength, centred inside the nFft frame (librosa's pad_center).
  const window = new Float64Array(nFft);
  const offset = Math.floor((nFft - winLength) / 2);
  for (let i = 0; i < winLength; i++) window[offset + i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / winLength);
  const fft = new PowerSpectrum(nFft);
  const bank = slaneyMelBank(sampleRate, nFft, nMels, fMin, fMax);
  const frame = new Float64Array(nFft);
  const power = new Float64Array(fft.bins);
  const mel = new Float64Array(nMels);
  const data = new Float32Array(frames * nMels);
  const refDb = 10 * Math.log10(Math.max(amin, ref));
  let peak = Number.NEGATIVE_INFINITY;
  for (let t = 0; t < frames; t++) {
    const start = t * hop - pad;
    for (let j = 0; j < nFft; j++) {
      const i = start + j;
      const inside = i >= 0 && i < n;
      const x = inside ? samples[i]! : padMode === 'constant' || n === 0 ? 0 : samples[mirror(i, n)]!;
      frame[j] = x * window[j]!;
    }
    fft.compute(frame, power);
    applyMelBank(bank, power, mel);
    for (let m = 0; m < nMels; m++) {
      // S_dB = 10·log10(max(S, amin)) − 10·log10(max(amin, ref))
      const db = 10 * Math.log10(Math.max(mel[m]!, amin)) - refDb;
      data[t * nMels + m] = db;
      if (db > peak) peak = db;
    }
  }
  if (topDb !== null && frames > 0) {
    const floor = peak - topDb;
    for (let i = 0; i < data.length; i++) if (data[i]! < floor) data[i] = floor;
  }
  return { data, shape: [frames, nMels] };
}
