import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WavFormatError } from './errors.js';
import { decodeWav } from './wav-decode.js';
import { encodeWav } from './wav-encode.js';

// WAV files written by sox in many encodings, with sox's own decoding of each to float32 as the reference
// (tools/fixtures/datasets-speech/generate.py).
const DIR = new URL('./__fixtures__/wav/', import.meta.url);
interface WavCase {
  file: string;
  decodable: boolean;
  reference?: string;
  sampleRate?: number;
  channels?: number;
  frames?: number;
}
const cases = (JSON.parse(readFileSync(new URL('cases.json', DIR), 'utf8')) as { cases: WavCase[] }).cases;
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, DIR)));

function expectWavError(bytes: Uint8Array, code: string, message: RegExp): WavFormatError {
  let error: unknown;
  try {
    decodeWav(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WavFormatError);
  expect(error).toBeInstanceOf(Error);
  expect((error as WavFormatError).code).toBe(code);
  expect((error as WavFormatError).message).toMatch(message);
  return error as WavFormatError;
}

// Splices extra chunks between the header and the first chunk, fixing the RIFF size.
function withChunks(bytes: Uint8Array, where: 'start' | 'end', ...chunks: Uint8Array[]): Uint8Array {
  const extra = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(bytes.length + extra);
  const at = where === 'start' ? 12 : bytes.length;
  out.set(bytes.subarray(0, at));
  let o = at;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  out.set(bytes.subarray(at), o);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

function chunk(id: string, body: Uint8Array, pad = true): Uint8Array {
  const padded = pad ? body.length + (body.length & 1) : body.length;
  const out = new Uint8Array(8 + padded);
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

// Moves the fmt chunk after the data chunk of a canonical 44-byte-header file.
function fmtAfterData(bytes: Uint8Array): Uint8Array {
  const fmt = bytes.subarray(12, 36);
  const data = bytes.subarray(36);
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, 12));
  out.set(data, 12);
  out.set(fmt, 12 + data.length);
  return out;
}

describe('decodeWav reads what sox writes', () => {
  const decodable = cases.filter((c) => c.decodable);
  it('covers 8/16/24/32-bit PCM, 32/64-bit float and WAVE_FORMAT_EXTENSIBLE', () => {
    expect(decodable.map((c) => c.file)).toEqual(
      expect.arrayContaining(['u8-stereo.wav', 's16-stereo.wav', 's24-stereo.wav', 's32-stereo.wav', 'f32-stereo.wav', 'f64-stereo.wav', 's24-6ch-extensible.wav']),
    );
  });
  it.each(decodable.map((c) => [c.file, c] as const))('%s decodes to sox’s samples', (_f, c) => {
    const audio = decodeWav(load(c.file));
    expect(audio.sampleRate).toBe(c.sampleRate);
    expect(audio.channelData).toHaveLength(c.channels!);
    const ref = new Float32Array(new Uint8Array(readFileSync(new URL(c.reference!, DIR))).buffer);
    for (let ch = 0; ch < c.channels!; ch++) {
      expect(audio.channelData[ch]).toHaveLength(c.frames!);
      for (let i = 0; i < c.frames!; i++) expect(audio.channelData[ch]![i]).toBeCloseTo(ref[i * c.channels! + ch]!, 7);
    }
    for (const channel of audio.channelData) for (const v of channel) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });
});

describe('decodeWav accepts real-world chunk layouts', () => {
  const base = load('s16-stereo.wav');
  const expected = decodeWav(base);

  it('skips LIST, cue and fact chunks before the format', () => {
    const list = chunk('LIST', new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000gated\u0000'));
    const cue = chunk('cue ', new Uint8Array(28));
    const fact = chunk('fact', new Uint8Array(4));
    expect(decodeWav(withChunks(base, 'start', list, cue, fact))).toEqual(expected);
  });
  it('honours the pad byte after an odd-sized chunk', () => {
    const odd = chunk('junk', new Uint8Array([1, 2, 3]));
    expect(odd.length).toBe(12);
    expect(decodeWav(withChunks(base, 'start', odd))).toEqual(expected);
    // A trailing odd-sized chunk whose pad byte is missing at the very end is tolerated.
    expect(decodeWav(withChunks(base, 'end', chunk('junk', new Uint8Array([7]), false))).channelData).toEqual(expected.channelData);
  });
  it('reads a data chunk that comes before the fmt chunk', () => {
    expect(decodeWav(fmtAfterData(base))).toEqual(expected);
  });
  it('drops a trailing partial frame', () => {
    const bytes = withChunks(base, 'end');
    const view = new DataView(bytes.buffer);
    view.setUint32(40, view.getUint32(40, true) - 1, true);
    const audio = decodeWav(bytes.subarray(0, bytes.length - 1));
    expect(audio.channelData[0]).toHaveLength(expected.channelData[0]!.length - 1);
  });
  it('round-trips through encodeWav for 16-bit and float32', () => {
    expect(decodeWav(encodeWav(expected))).toEqual(expected);
    const f32 = decodeWav(load('f32-stereo.wav'));
    expect(decodeWav(encodeWav(f32, { format: 'float32' }))).toEqual(f32);
  });
});

describe('decodeWav rejects what it cannot read, saying why', () => {
  const base = load('s16-stereo.wav');

  it('not RIFF/WAVE', () => {
    expectWavError(new TextEncoder().encode('ID3\u0004 this is an mp3, honestly'), 'GATED_WAV_NOT_RIFF', /not a RIFF\/WAVE file/);
    const avi = base.slice();
    avi.set(new TextEncoder().encode('AVI '), 8);
    expectWavError(avi, 'GATED_WAV_NOT_RIFF', /"AVI "/);
    const rifx = base.slice();
    rifx.set(new TextEncoder().encode('RIFX'), 0);
    expectWavError(rifx, 'GATED_WAV_NOT_RIFF', /big-endian/);
  });
  it('truncated header', () => {
    expectWavError(base.subarray(0, 8), 'GATED_WAV_TRUNCATED', /12-byte RIFF\/WAVE header/);
    expectWavError(base.subarray(0, 16), 'GATED_WAV_TRUNCATED', /chunk header is truncated.*byte 12/);
    expectWavError(base.subarray(0, 30), 'GATED_WAV_CHUNK_SIZE', /"fmt " runs past the end/);
  });
  it('truncated data', () => {
    const e = expectWavError(base.subarray(0, base.length - 10), 'GATED_WAV_TRUNCATED', /data is truncated.*expected 1280 bytes.*found 1270 bytes/);
    expect(e.details).toMatchObject({ chunk: 'data', offset: 36 });
  });
  it('a chunk size beyond the file, without allocating it', () => {
    const huge = withChunks(base, 'start', chunk('LIST', new Uint8Array(4)));
    new DataView(huge.buffer).setUint32(16, 0xfffffff0, true);
    expectWavError(huge, 'GATED_WAV_CHUNK_SIZE', /"LIST" runs past the end of the file/);
    const hugeData = base.slice();
    new DataView(hugeData.buffer).setUint32(40, 0xfffffff0, true);
    expectWavError(hugeData, 'GATED_WAV_TRUNCATED', /data is truncated/);
  });
  it('no data chunk, no fmt chunk', () => {
    const noData = base.slice(0, 36);
    new DataView(noData.buffer).setUint32(4, 28, true);
    expectWavError(noData, 'GATED_WAV_NO_DATA', /no "data" chunk.*"fmt "/);
    expectWavError(withChunks(base.slice(0, 12), 'end', chunk('data', new Uint8Array(4))), 'GATED_WAV_NO_FORMAT', /no "fmt " chunk/);
  });
  it('zero channels, zero rate, inconsistent block align, odd sample sizes', () => {
    const edit = (at: number, value: number, bytes = 2): Uint8Array => {
      const b = base.slice();
      if (bytes === 2) new DataView(b.buffer).setUint16(at, value, true);
      else new DataView(b.buffer).setUint32(at, value, true);
      return b;
    };
    expectWavError(edit(22, 0), 'GATED_WAV_BAD_FORMAT', /zero channels/);
    expectWavError(edit(24, 0, 4), 'GATED_WAV_BAD_FORMAT', /zero sample rate/);
    expectWavError(edit(32, 3), 'GATED_WAV_BAD_FORMAT', /block align.*expected 2 channels × 2 bytes = 4, found 3/);
    expectWavError(edit(34, 12), 'GATED_WAV_BAD_FORMAT', /8, 16, 24, 32 bits.*12 bits/);
  });
  it.each(cases.filter((c) => !c.decodable).map((c) => [c.file] as const))('unsupported codec: %s', (file) => {
    expectWavError(load(file), 'GATED_WAV_UNSUPPORTED_CODEC', /unsupported codec, (IMA ADPCM|Microsoft ADPCM|mu-law)/);
  });
  it('never returns for garbage: random bytes behind a RIFF header all fail fast with a WavFormatError', () => {
    let seed = 1;
    const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    for (let trial = 0; trial < 200; trial++) {
      const bytes = new Uint8Array(12 + (trial % 60));
      for (let i = 0; i < bytes.length; i++) bytes[i] = next();
      bytes.set(new TextEncoder().encode('RIFF'), 0);
      bytes.set(new TextEncoder().encode('WAVE'), 8);
      expect(() => decodeWav(bytes)).toThrow(WavFormatError);
    }
  });
});
