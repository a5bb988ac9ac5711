import type { ResolvedFbankOptions } from '../kaldi-options.js';
import { FLOAT_EPSILON, forEachFrame, numFrames } from './kaldi-frames.js';
import { applyMelBank, kaldiMelBank, type MelBank } from './mel-banks.js';
import { PowerSpectrum } from './power-spectrum.js';

const banks = new Map<string, MelBank>();

function cachedMelBank(o: ResolvedFbankOptions): MelBank {
  const key = [o.numMelBins, o.paddedWindowSize, o.sampleRate, o.lowFreq, o.highFreq, o.vtlnLow, o.vtlnHigh, o.vtlnWarp].join(':');
  let bank = banks.get(key);
  if (bank === undefined) {
    bank = kaldiMelBank({ ...o, numBins: o.numMelBins });
    if (banks.size > 64) banks.clear();
    banks.set(key, bank);
  }
  return bank;
}

/** Per-frame mel energies (log or linear, power or magnitude) and log energies, as torchaudio's fbank builds them. */
export function kaldiMelFrames(
  samples: Float32Array,
  o: ResolvedFbankOptions,
  onFrame: (index: number, melEnergies: Float64Array, logEnergy: number) => void,
): number {
  const fft = new PowerSpectrum(o.paddedWindowSize);
  const bank = cachedMelBank(o);
  const spectrum = new Float64Array(fft.bins);
  const mel = new Float64Array(o.numMelBins);
  return forEachFrame(samples, o, (t, frame, logEnergy) => {
    fft.compute(frame, spectrum);
    if (!o.usePower) for (let k = 0; k < spectrum.length; k++) spectrum[k] = Math.sqrt(spectrum[k]!);
    applyMelBank(bank, spectrum, mel);
    if (o.useLogFbank) for (let b = 0; b < mel.length; b++) mel[b] = Math.log(Math.max(mel[b]!, FLOAT_EPSILON));
    onFrame(t, mel, logEnergy);
  });
}

export { numFrames };
