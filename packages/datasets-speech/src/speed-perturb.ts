import { ArgumentError } from '@gated/tensor';
import { resample } from './resample.js';

/** Factors are resolved to 1/1000: a factor f plays the clip f times as fast (resampled from 1000·f to 1000 "Hz"). */
const RESOLUTION = 1000;

/**
 * Speed perturbation (Ko, Peddinti, Povey & Khudanpur 2015, "Audio augmentation for speech recognition"; Kaldi's
 * `sox speed`): the clip resampled so that, played at the same sample rate, it lasts 1/`factor` as long — tempo,
 * pitch and formants all scale by `factor`, a cheap stand-in for other speakers. `factor` 1 returns a copy.
 *
 * @example
 * const faster = speedPerturb(samples, 1.1); // ≈ samples.length / 1.1 samples
 */
export function speedPerturb(samples: Float32Array, factor: number): Float32Array {
  assertSpeedFactor('factor', factor);
  return resample(samples, Math.round(factor * RESOLUTION), RESOLUTION);
}

/** Throws an {@link ArgumentError} unless `factor` is a finite speed factor in [0.5, 2] with at most 3 decimals. */
export function assertSpeedFactor(name: string, factor: unknown): asserts factor is number {
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0.5 || factor > 2) {
    throw new ArgumentError(name, 'a speed factor in [0.5, 2]', String(factor));
  }
  if (Math.abs(factor * RESOLUTION - Math.round(factor * RESOLUTION)) > 1e-9) {
    throw new ArgumentError(name, `a speed factor with at most 3 decimals (resolution 1/${RESOLUTION})`, String(factor));
  }
}
