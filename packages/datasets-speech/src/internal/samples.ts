import { ArgumentError } from '@gated/tensor';

/** Feature functions take mono Float32Array samples; anything else is a usage error. */
export function assertSamples(samples: unknown): asserts samples is Float32Array {
  if (!(samples instanceof Float32Array)) {
    const actual = samples === null ? 'null' : Array.isArray(samples) ? 'an Array' : typeof samples === 'object' ? samples.constructor.name : typeof samples;
    throw new ArgumentError('samples', 'a Float32Array of mono samples (downmixToMono a multi-channel decodeWav result)', actual);
  }
}
