/** A bank of triangular filters stored sparsely: filter b covers FFT bins start[b] … start[b] + weights[b].length − 1. */
export interface MelBank {
  readonly start: Int32Array;
  readonly weights: Float64Array[];
}

/** Applies a bank to one spectrum: out[b] = Σ_k weights[b][k] · spectrum[start[b] + k]. */
export function applyMelBank(bank: MelBank, spectrum: Float64Array, out: Float64Array): void {
  for (let b = 0; b < bank.weights.length; b++) {
    const w = bank.weights[b]!;
    const s = bank.start[b]!;
    let acc = 0;
    for (let k = 0; k < w.length; k++) acc += w[k]! * spectrum[s + k]!;
    out[b] = acc;
  }
}

function sparse(dense: Float64Array[]): MelBank {
  const start = new Int32Array(dense.length);
  const weights = dense.map((row, b) => {
    let first = row.findIndex((v) => v !== 0);
    if (first < 0) first = 0;
    let last = row.length - 1;
    while (last > first && row[last] === 0) last--;
    start[b] = first;
    return row.slice(first, last + 1);
  });
  return { start, weights };
}

/** Kaldi's mel scale: 1127 · ln(1 + f/700). */
export const kaldiMel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
const kaldiInverseMel = (mel: number): number => 700 * (Math.exp(mel / 1127) - 1);

// torchaudio's vtln_warp_freq: piecewise-linear warp with inflection points l and h.
function vtlnWarpFreq(vtlnLow: number, vtlnHigh: number, lowFreq: number, highFreq: number, warp: number, freq: number): number {
  const l = vtlnLow * Math.max(1, warp);
  const h = vtlnHigh * Math.min(1, warp);
  const scale = 1 / warp;
  const fl = scale * l;
  const fh = scale * h;
  const scaleLeft = (fl - lowFreq) / (l - lowFreq);
  const scaleRight = (highFreq - fh) / (highFreq - h);
  if (freq < lowFreq || freq > highFreq) return freq;
  if (freq < l) return lowFreq + scaleLeft * (freq - lowFreq);
  if (freq < h) return scale * freq;
  return highFreq + scaleRight * (freq - highFreq);
}

/** Options of {@link kaldiMelBank}, already resolved. */
export interface KaldiMelBankOptions {
  readonly numBins: number;
  readonly paddedWindowSize: number;
  readonly sampleRate: number;
  readonly lowFreq: number;
  readonly highFreq: number; // ≤ 0: offset from Nyquist
  readonly vtlnLow: number;
  readonly vtlnHigh: number; // < 0: offset from Nyquist
  readonly vtlnWarp: number;
}

/**
 * torchaudio.compliance.kaldi.get_mel_banks, padded with a zero weight for the Nyquist bin: triangles equally
 * spaced on the Kaldi mel scale between lowFreq and highFreq, evaluated at the mel value of each FFT bin.
 */
export function kaldiMelBank(o: KaldiMelBankOptions): MelBank {
  const numFftBins = o.paddedWindowSize / 2;
  const nyquist = 0.5 * o.sampleRate;
  const highFreq = o.highFreq <= 0 ? o.highFreq + nyquist : o.highFreq;
  const vtlnHigh = o.vtlnHigh < 0 ? o.vtlnHigh + nyquist : o.vtlnHigh;
  const fftBinWidth = o.sampleRate / o.paddedWindowSize;
  const melLow = kaldiMel(o.lowFreq);
  const melHigh = kaldiMel(highFreq);
  const melDelta = (melHigh - melLow) / (o.numBins + 1);
  const warp = (mel: number): number =>
    o.vtlnWarp === 1 ? mel : kaldiMel(vtlnWarpFreq(o.vtlnLow, vtlnHigh, o.lowFreq, highFreq, o.vtlnWarp, kaldiInverseMel(mel)));
  const binMel = Float64Array.from({ length: numFftBins }, (_, k) => kaldiMel(fftBinWidth * k));
  const dense: Float64Array[] = [];
  for (let b = 0; b < o.numBins; b++) {
    const left = warp(melLow + b * melDelta);
    const center = warp(melLow + (b + 1) * melDelta);
    const right = warp(melLow + (b + 2) * melDelta);
    const row = new Float64Array(numFftBins + 1);
    for (let k = 0; k < numFftBins; k++) {
      const mel = binMel[k]!;
      const up = (mel - left) / (center - left);
      const down = (right - mel) / (right - center);
      if (o.vtlnWarp === 1) row[k] = Math.max(0, Math.min(up, down));
      else if (mel > left && mel <= center) row[k] = up;
      else if (mel > center && mel < right) row[k] = down;
    }
    dense.push(row);
  }
  return sparse(dense);
}

// Slaney's Auditory Toolbox mel scale: linear below 1 kHz, logarithmic above (librosa's default, htk=False).
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;
/** Hz → Slaney mel. */
export const slaneyMel = (hz: number): number => (hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP);
const slaneyInverseMel = (mel: number): number => (mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel);

/**
 * librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney'): triangles whose corners are
 * equally spaced on the Slaney mel scale, interpolated linearly in Hz, each scaled to unit area (2 / width).
 */
export function slaneyMelBank(sampleRate: number, nFft: number, nMels: number, fMin: number, fMax: number): MelBank {
  const bins = Math.floor(nFft / 2) + 1;
  const fftFreqs = Float64Array.from({ length: bins }, (_, k) => (k * sampleRate) / nFft);
  const melMin = slaneyMel(fMin);
  const melMax = slaneyMel(fMax);
  const corners = Float64Array.from({ length: nMels + 2 }, (_, i) => slaneyInverseMel(melMin + ((melMax - melMin) * i) / (nMels + 1)));
  const dense: Float64Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const lo = corners[m]!;
    const mid = corners[m + 1]!;
    const hi = corners[m + 2]!;
    const norm = 2 / (hi - lo);
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = fftFreqs[k]!;
      const up = (f - lo) / (mid - lo);
      const down = (hi - f) / (hi - mid);
      row[k] = Math.max(0, Math.min(up, down)) * norm;
    }
    dense.push(row);
  }
  return sparse(dense);
}
