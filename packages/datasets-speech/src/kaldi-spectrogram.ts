import { assertSamples } from './internal/samples.js';
import { FLOAT_EPSILON, forEachFrame, numFrames } from './internal/kaldi-frames.js';
import { PowerSpectrum } from './internal/power-spectrum.js';
import { type FeatureMatrix, subtractColumnMean } from './feature-matrix.js';
import { resolveFrameOptions, type SpectrogramOptions } from './kaldi-options.js';

/**
 * Kaldi's `compute-spectrogram-feats` (torchaudio.compliance.kaldi.spectrogram): log power spectrum
 * log(max(|X_k|², ε)) per frame, k = 0 … paddedWindowSize/2, with bin 0 replaced by the frame's log energy.
 * `samples` are mono in [−1, 1]; they are scaled by `sampleScale` (32768) first, as Kaldi reads 16-bit audio.
 *
 * @example
 * const spec = spectrogram(samples, { sampleRate: 16000 }); // shape [frames, 257]
 */
export function spectrogram(samples: Float32Array, options: SpectrogramOptions): FeatureMatrix {
  assertSamples(samples);
  const o = resolveFrameOptions(options);
  const fft = new PowerSpectrum(o.paddedWindowSize);
  const bins = fft.bins;
  const frames = numFrames(samples.length, o);
  const data = new Float32Array(frames * bins);
  const power = new Float64Array(bins);
  forEachFrame(samples, o, (t, frame, logEnergy) => {
    fft.compute(frame, power);
    const row = t * bins;
    data[row] = logEnergy;
    for (let k = 1; k < bins; k++) data[row + k] = Math.log(Math.max(power[k]!, FLOAT_EPSILON));
  });
  if (o.subtractMean) subtractColumnMean(data, frames, bins);
  return { data, shape: [frames, bins] };
}
