import { type FeatureMatrix, subtractColumnMean } from './feature-matrix.js';
import { kaldiMelFrames, numFrames } from './internal/kaldi-mel-frames.js';
import { assertSamples } from './internal/samples.js';
import { type MfccOptions, resolveMfccOptions } from './kaldi-options.js';

// Kaldi's DCT-II with orthonormal scaling: c_k = Σ_n f_n · √(2/N) · cos(π k (n + ½) / N), and c_0 scaled by √(1/N).
function dctMatrix(numCeps: number, numMelBins: number): Float64Array {
  const m = new Float64Array(numCeps * numMelBins);
  for (let k = 0; k < numCeps; k++) {
    for (let n = 0; n < numMelBins; n++) {
      m[k * numMelBins + n] = k === 0 ? Math.sqrt(1 / numMelBins) : Math.sqrt(2 / numMelBins) * Math.cos((Math.PI / numMelBins) * (n + 0.5) * k);
    }
  }
  return m;
}

/**
 * Kaldi's `compute-mfcc-feats` (torchaudio.compliance.kaldi.mfcc): log power mel energies → DCT-II →
 * liftering 1 + (L/2)·sin(π i / L). With `useEnergy`, C0 is replaced by the log frame energy; with `htkCompat`
 * C0 (or the energy) moves to the last column, as HTK orders it. Defaults: 13 cepstra from 23 mel bins,
 * lifter 22, 25 ms povey frames every 10 ms. `samples` are mono in [−1, 1], scaled by 32768 as Kaldi expects.
 *
 * @example
 * const feats = mfcc(samples, { sampleRate: 16000 }); // shape [frames, 13]
 */
export function mfcc(samples: Float32Array, options: MfccOptions): FeatureMatrix {
  assertSamples(samples);
  const o = resolveMfccOptions(options);
  const frames = numFrames(samples.length, o);
  const { numCeps, numMelBins } = o;
  const dct = dctMatrix(numCeps, numMelBins);
  const lifter = Float64Array.from({ length: numCeps }, (_, i) => (o.cepstralLifter === 0 ? 1 : 1 + 0.5 * o.cepstralLifter * Math.sin((Math.PI * i) / o.cepstralLifter)));
  const data = new Float32Array(frames * numCeps);
  const ceps = new Float64Array(numCeps);
  kaldiMelFrames(samples, { ...o, useEnergy: false, subtractMean: false }, (t, mel, logEnergy) => {
    for (let k = 0; k < numCeps; k++) {
      let acc = 0;
      const row = k * numMelBins;
      for (let n = 0; n < numMelBins; n++) acc += dct[row + n]! * mel[n]!;
      ceps[k] = acc * lifter[k]!;
    }
    if (o.useEnergy) ceps[0] = logEnergy;
    const out = t * numCeps;
    if (o.htkCompat) {
      // HTK order: C1 … C(n−1), then C0 (× √2, undoing the orthonormal scale) or the energy.
      for (let k = 1; k < numCeps; k++) data[out + k - 1] = ceps[k]!;
      data[out + numCeps - 1] = o.useEnergy ? ceps[0]! : ceps[0]! * Math.SQRT2;
    } else {
      for (let k = 0; k < numCeps; k++) data[out + k] = ceps[k]!;
    }
  });
  if (o.subtractMean) subtractColumnMean(data, frames, numCeps);
  return { data, shape: [frames, numCeps] };
}
