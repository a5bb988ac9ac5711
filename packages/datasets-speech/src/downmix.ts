import { ArgumentError, describeValue } from '@gated/tensor';

/**
 * Averages channels into one: mono[i] = (Σ_c channel_c[i]) / channels. A single channel is returned as a copy.
 *
 * @example
 * const mono = downmixToMono(decodeWav(bytes).channelData);
 */
export function downmixToMono(channelData: readonly Float32Array[]): Float32Array {
  if (!Array.isArray(channelData) || !channelData.every((c) => c instanceof Float32Array)) {
    throw new ArgumentError('channelData', 'an array of Float32Array channels (decodeWav(bytes).channelData)', describeValue(channelData));
  }
  const first = channelData[0];
  if (first === undefined) throw new ArgumentError('channelData', 'at least one channel', 'none');
  const frames = first.length;
  channelData.forEach((c, i) => {
    if (c.length !== frames) throw new ArgumentError(`channelData[${i}].length`, `${frames} (as channel 0)`, String(c.length));
  });
  if (channelData.length === 1) return first.slice();
  const sum = new Float64Array(frames);
  for (const channel of channelData) for (let i = 0; i < frames; i++) sum[i]! += channel[i]!;
  const out = new Float32Array(frames);
  const scale = 1 / channelData.length;
  for (let i = 0; i < frames; i++) out[i] = sum[i]! * scale;
  return out;
}
