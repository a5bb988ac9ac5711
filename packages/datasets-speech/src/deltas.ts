import { assertInteger, checkOptions } from '@gated/tensor';
import type { FeatureMatrix } from './feature-matrix.js';
import { assertMatrix } from './feature-matrix.js';

/** Options of {@link addDeltas}, Kaldi's `add-deltas` names. */
export interface DeltaOptions {
  /** Highest derivative: 1 appends Δ, 2 appends Δ and ΔΔ (`delta-order`). Default 2. */
  readonly order?: number;
  /** Regression half-window N (`delta-window`). Default 2. */
  readonly window?: number;
}

// Kaldi's DeltaFeatures scales: order i is order i−1 convolved with the regression kernel k / Σ_{k=−N..N} k².
function deltaScales(order: number, window: number): Float64Array[] {
  let prev = Float64Array.of(1);
  const scales = [prev];
  let normalizer = 0;
  for (let k = -window; k <= window; k++) normalizer += k * k;
  for (let i = 1; i <= order; i++) {
    const cur = new Float64Array(prev.length + 2 * window);
    for (let j = 0; j < prev.length; j++) for (let k = -window; k <= window; k++) cur[j + k + window]! += (prev[j]! * k) / normalizer;
    scales.push(cur);
    prev = cur;
  }
  return scales;
}

/**
 * Appends time derivatives by HTK/Kaldi regression, exactly as Kaldi's `add-deltas`:
 * Δx_t = Σ_{k=1..N} k·(x_{t+k} − x_{t−k}) / (2·Σ k²) with frames clamped at the edges, and ΔΔ as the regression
 * kernel applied twice (in one pass over the clamped input). Returns [frames, bins · (order + 1)] laid out as
 * [x, Δx, ΔΔx]. Order 1 equals `torchaudio.functional.compute_deltas(x.T, win_length=2N+1)`.
 *
 * @example
 * const input = addDeltas(mfcc(samples, { sampleRate: 8000 })); // [frames, 39]
 */
export function addDeltas(features: FeatureMatrix, options: DeltaOptions = {}): FeatureMatrix {
  checkOptions('addDeltas', options, { order: 'integer', window: 'integer' });
  assertMatrix('addDeltas features', features);
  const order = options.order ?? 2;
  const window = options.window ?? 2;
  assertInteger('order', order, 0, 4);
  assertInteger('window', window, 1, 100);
  const [frames, bins] = features.shape;
  const input = features.data;
  const outBins = bins * (order + 1);
  const out = new Float32Array(frames * outBins);
  const scales = deltaScales(order, window);
  const acc = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i <= order; i++) {
      const s = scales[i]!;
      const maxOffset = (s.length - 1) / 2;
      acc.fill(0);
      for (let j = -maxOffset; j <= maxOffset; j++) {
        const scale = s[j + maxOffset]!;
        if (scale === 0) continue;
        const src = Math.min(Math.max(t + j, 0), frames - 1) * bins;
        for (let b = 0; b < bins; b++) acc[b]! += scale * input[src + b]!;
      }
      const dst = t * outBins + i * bins;
      for (let b = 0; b < bins; b++) out[dst + b] = acc[b]!;
    }
  }
  return { data: out, shape: [frames, outBins] };
}
