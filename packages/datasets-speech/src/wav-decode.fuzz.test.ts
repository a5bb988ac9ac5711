import fc from 'fast-check';
import { describe, it } from 'vitest';
import { WavFormatError } from './errors.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';
import { decodeWav } from './wav-decode.js';
import { encodeWav } from './wav-encode.js';

const tone = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i / 3));
const pcm16 = encodeWav({ sampleRate: 8000, channelData: [tone] });
const float32 = encodeWav({ sampleRate: 16000, channelData: [tone, tone] }, { format: 'float32' });

// A RIFF/WAVE frame around arbitrary chunks, so mutations reach the chunk parser and not only the magic bytes.
function riff(chunks: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const body = chunks.flatMap(([id, data]) => {
    const head = new Uint8Array(8);
    new TextEncoder().encodeInto(id.padEnd(4, ' ').slice(0, 4), head);
    new DataView(head.buffer).setUint32(4, data.length, true);
    return [...head, ...data, ...(data.length % 2 === 1 ? [0] : [])];
  });
  const out = new Uint8Array(12 + body.length);
  new TextEncoder().encodeInto('RIFF', out);
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  new TextEncoder().encodeInto('WAVE', out.subarray(8));
  out.set(body, 12);
  return out;
}

const u16 = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(16, 24, 32, 64, 0xfffe, 0xffff));
const u32 = fc.oneof(fc.integer({ min: 0, max: 96000 }), fc.constantFrom(0xffffffff, 0x7fffffff));
// A plausible fmt chunk: format tag, channels, rate, byte rate, block align, bits (and an extensible tail).
const fmt = fc.tuple(fc.constantFrom(1, 3, 0xfffe, 2, 7), u16, u32, u32, u16, u16, fc.uint8Array({ maxLength: 24 })).map(([tag, ch, rate, byteRate, align, bits, tail]) => {
  const b = new Uint8Array(16 + tail.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, tag, true);
  v.setUint16(2, ch, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, byteRate, true);
  v.setUint16(12, align, true);
  v.setUint16(14, bits, true);
  b.set(tail, 16);
  return ['fmt ', b] as const;
});
const chunk = fc.oneof(fmt, fc.tuple(fc.constantFrom('fmt ', 'data', 'LIST', 'fact', 'junk'), fc.uint8Array({ maxLength: 48 })));

describe('decodeWav under fuzzing: audio or a WavFormatError, within 2 s', () => {
  it('any bytes and mutations of valid PCM16 and float32 files', async () => {
    await fc.assert(fc.asyncProperty(bytesNear(pcm16, float32), (bytes) => parsesOrThrowsTyped(bytes, decodeWav, WavFormatError)), fuzzParameters());
  });

  it('RIFF frames of arbitrary chunks', async () => {
    const framed = fc.array(chunk, { maxLength: 4 }).map(riff);
    await fc.assert(fc.asyncProperty(framed, (bytes) => parsesOrThrowsTyped(bytes, decodeWav, WavFormatError)), fuzzParameters());
  });
});
