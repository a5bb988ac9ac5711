import { ArgumentError, describeValue } from '@gated/tensor';

/** Feature functions take mono Float32Array samples; anything else is a usage error. */
export function assertSamples(samples: unknown): asserts samples is Float32Array {
  if (!(samples instanceof Float32Array)) {
    const actual = samples === null ? 'null' : Array.isArray(samples) ? 'an Array' : typeof samples === 'object' ? samples.constructor.name : typeof samples;
    throw new ArgumentError('samples', 'a Float32Array of mono samples (downmixToMono a multi-channel decodeWav result)', actual);
  }
}

/** Throws an ArgumentError unless `audio` is `{ sampleRate, channelData: Float32Array[] }`. */
export function assertAudio(argument: string, audio: unknown): asserts audio is { sampleRate: number; channelData: readonly Float32Array[] } {
  const a = audio as { sampleRate?: unknown; channelData?: unknown } | null;
  const ok = typeof a === 'object' && a !== null && typeof a.sampleRate === 'number' && Array.isArray(a.channelData) && a.channelData.every((c) => c instanceof Float32Array);
  if (!ok) throw new ArgumentError(argument, 'audio { sampleRate, channelData: Float32Array[] }', describeValue(audio));
}
