import { ArgumentError, assertInteger, checkOptions } from '@gated/tensor';
import type { AudioData } from './wav-decode.js';
import { assertAudio } from './internal/samples.js';

/** Options of {@link encodeWav}. */
export interface EncodeWavOptions {
  /** `'pcm16'` (default): 16-bit integer PCM, rounded and clipped. `'float32'`: IEEE float, samples as given. */
  readonly format?: 'pcm16' | 'float32';
}

/**
 * Writes audio as a canonical RIFF/WAVE file (`fmt ` then `data`), 16-bit PCM or 32-bit float. 16-bit samples
 * are `round(x · 32768)` clipped to [−32768, 32767], so `decodeWav(encodeWav(decodeWav(f)))` returns the same
 * samples for any 16-bit file.
 *
 * @example
 * await writeFile('out.wav', encodeWav({ sampleRate: 16000, channelData: [samples] }));
 */
export function encodeWav(audio: AudioData, options: EncodeWavOptions = {}): Uint8Array {
  checkOptions('encodeWav', options, { format: ['pcm16', 'float32'] });
  assertAudio('encodeWav audio', audio);
  const format = options.format ?? 'pcm16';
  if (format !== 'pcm16' && format !== 'float32') throw new ArgumentError('format', "'pcm16' or 'float32'", String(format));
  const channels = audio.channelData.length;
  assertInteger('channelData.length', channels, 1, 65535);
  assertInteger('sampleRate', audio.sampleRate, 1, 2 ** 32 - 1);
  const [first] = audio.channelData;
  if (first === undefined) throw new ArgumentError('channelData', 'at least one channel', '0 channels');
  const frames = first.length;
  audio.channelData.forEach((c, i) => {
    if (c.length !== frames) throw new ArgumentError(`channelData[${i}].length`, `${frames} (as channel 0)`, String(c.length));
  });
  const bytesPerSample = format === 'pcm16' ? 2 : 4;
  const blockAlign = channels * bytesPerSample;
  const dataSize = frames * blockAlign;
  if (dataSize > 2 ** 32 - 1 - 36) throw new ArgumentError('audio', 'at most 4 GiB of samples (RIFF limit)', `${dataSize} bytes`);
  const bytes = new Uint8Array(44 + dataSize);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'pcm16' ? 1 : 3, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  for (const [c, samples] of audio.channelData.entries()) {
    let at = 44 + c * bytesPerSample;
    if (format === 'pcm16') {
      for (let i = 0; i < frames; i++, at += blockAlign) {
        const v = Math.round(samples[i]! * 32768);
        view.setInt16(at, v > 32767 ? 32767 : v < -32768 ? -32768 : v || 0, true);
      }
    } else {
      for (let i = 0; i < frames; i++, at += blockAlign) view.setFloat32(at, samples[i]!, true);
    }
  }
  return bytes;
}
