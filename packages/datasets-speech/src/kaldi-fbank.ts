import { type FeatureMatrix, subtractColumnMean } from './feature-matrix.js';
import { kaldiMelFrames, numFrames } from './internal/kaldi-mel-frames.js';
import { assertSamples } from './internal/samples.js';
import { type FbankOptions, resolveFbankOptions } from './kaldi-options.js';

/**
 * Kaldi's `compute-fbank-feats` (torchaudio.compliance.kaldi.fbank): log mel filterbank energies, one row per
 * 25 ms frame every 10 ms by default, with the log frame energy as an extra first column (last with
 * `htkCompat`) when `useEnergy`. `samples` are mono in [−1, 1], scaled by `sampleScale` (32768) first, so the
 * result equals torchaudio's for `waveform * 32768`.
 *
 * @example
 * const feats = fbank(samples, { sampleRate: 16000, numMelBins: 40 }); // shape [frames, 40]
 */
export function fbank(samples: Float32Array, options: FbankOptions): FeatureMatrix {
  assertSamples(samples);
  const o = resolveFbankOptions(options);
  const frames = numFrames(samples.length, o);
  const bins = o.numMelBins + (o.useEnergy ? 1 : 0);
  const melOffset = o.useEnergy && !o.htkCompat ? 1 : 0;
  const energyColumn = o.htkCompat ? o.numMelBins : 0;
  const data = new Float32Array(frames * bins);
  kaldiMelFrames(samples, o, (t, mel, logEnergy) => {
    const row = t * bins;
    for (let b = 0; b < mel.length; b++) data[row + melOffset + b] = mel[b]!;
    if (o.useEnergy) data[row + energyColumn] = logEnergy;
  });
  if (o.subtractMean) subtractColumnMean(data, frames, bins);
  return { data, shape: [frames, bins] };
}
