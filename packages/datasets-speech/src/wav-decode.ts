import { WavFormatError } from './errors.js';
import { toBytes } from '@gated/tensor';

/** Decoded audio: one Float32Array per channel, all of the same length, samples in [−1, 1]. */
export interface AudioData {
  readonly sampleRate: number;
  readonly channelData: Float32Array[];
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// The tail shared by every KSDATAFORMAT_SUBTYPE_* GUID: {xxxxxxxx-0000-0010-8000-00aa00389b71}.
const GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const CODEC_NAMES = new Map<number, string>([
  [0x0002, 'Microsoft ADPCM'],
  [0x0006, 'A-law'],
  [0x0007, 'mu-law'],
  [0x0011, 'IMA ADPCM'],
  [0x0031, 'GSM 6.10'],
  [0x0050, 'MPEG'],
  [0x0055, 'MPEG Layer 3'],
]);

interface Chunk {
  readonly id: string;
  readonly offset: number; // of the chunk's body
  readonly size: number;
}

interface Format {
  readonly code: number; // PCM or IEEE float after resolving EXTENSIBLE
  readonly channels: number;
  readonly sampleRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
}

const fourcc = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const printable = (id: string): string => JSON.stringify(id);
const codecName = (code: number): string => `${CODEC_NAMES.get(code) ?? 'format'} (0x${code.toString(16).padStart(4, '0')})`;

function readChunks(bytes: Uint8Array, view: DataView): Chunk[] {
  if (bytes.length < 12) {
    throw new WavFormatError('GATED_WAV_TRUNCATED', 'header is truncated', {
      expected: 'a 12-byte RIFF/WAVE header',
      actual: `${bytes.length} bytes`,
      offset: 0,
    });
  }
  const riff = fourcc(bytes, 0);
  const wave = fourcc(bytes, 8);
  if (riff !== 'RIFF' || wave !== 'WAVE') {
    const hint = riff === 'RIFX' ? ' (big-endian RIFX is not supported)' : riff === 'RF64' ? ' (RF64 is not supported)' : '';
    throw new WavFormatError('GATED_WAV_NOT_RIFF', `is not a RIFF/WAVE file${hint}`, {
      expected: '"RIFF" … "WAVE"',
      actual: `${printable(riff)} … ${printable(wave)}`,
      offset: 0,
    });
  }
  const chunks: Chunk[] = [];
  let at = 12;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) {
      // A few stray bytes after the last chunk (padding some writers leave) are harmless once a data chunk exists.
      if (chunks.some((c) => c.id === 'data')) break;
      throw new WavFormatError('GATED_WAV_TRUNCATED', 'chunk header is truncated', {
        expected: 'an 8-byte chunk header',
        actual: `${bytes.length - at} bytes left`,
        offset: at,
      });
    }
    const id = fourcc(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > bytes.length) {
      const code = id === 'data' ? 'GATED_WAV_TRUNCATED' : 'GATED_WAV_CHUNK_SIZE';
      throw new WavFormatError(code, id === 'data' ? 'data is truncated' : `chunk ${printable(id)} runs past the end of the file`, {
        expected: `${size} bytes of chunk body`,
        actual: `${bytes.length - body} bytes left in the file`,
        offset: at,
        chunk: id,
      });
    }
    chunks.push({ id, offset: body, size });
    // RIFF chunks are word-aligned: an odd-sized body is followed by one pad byte.
    at = body + size + (size & 1);
  }
  return chunks;
}

function readFormat(bytes: Uint8Array, view: DataView, chunk: Chunk): Format {
  const bad = (what: string, expected: string, actual: string, offset = chunk.offset): WavFormatError =>
    new WavFormatError('GATED_WAV_BAD_FORMAT', what, { expected, actual, offset, chunk: 'fmt ' });
  if (chunk.size < 16) {
    throw new WavFormatError('GATED_WAV_TRUNCATED', '"fmt " chunk is truncated', {
      expected: 'at least 16 bytes',
      actual: `${chunk.size} bytes`,
      offset: chunk.offset - 8,
      chunk: 'fmt ',
    });
  }
  const at = chunk.offset;
  let code = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (code === WAVE_FORMAT_EXTENSIBLE) {
    if (chunk.size < 40 || view.getUint16(at + 16, true) < 22) {
      throw new WavFormatError('GATED_WAV_TRUNCATED', 'WAVE_FORMAT_EXTENSIBLE "fmt " chunk is truncated', {
        expected: '40 bytes with a 22-byte extension',
        actual: `${chunk.size} bytes`,
        offset: at - 8,
        chunk: 'fmt ',
      });
    }
    const validBits = view.getUint16(at + 18, true);
    if (validBits > bitsPerSample) throw bad('has more valid bits than container bits', `≤ ${bitsPerSample}`, String(validBits), at + 18);
    const guid = bytes.subarray(at + 24, at + 40);
    code = view.getUint16(at + 24, true);
    if (!GUID_TAIL.every((b, i) => guid[4 + i] === b) || view.getUint16(at + 26, true) !== 0) {
      throw new WavFormatError('GATED_WAV_UNSUPPORTED_CODEC', 'uses an unknown WAVE_FORMAT_EXTENSIBLE sub-format', {
        expected: 'the PCM or IEEE-float sub-format GUID',
        actual: Array.from(guid, (b) => b.toString(16).padStart(2, '0')).join(''),
        offset: at + 24,
        chunk: 'fmt ',
      });
    }
  }
  if (code !== WAVE_FORMAT_PCM && code !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new WavFormatError('GATED_WAV_UNSUPPORTED_CODEC', `uses an unsupported codec, ${codecName(code)}`, {
      expected: 'PCM (0x0001), IEEE float (0x0003) or WAVE_FORMAT_EXTENSIBLE with one of them',
      actual: codecName(code),
      offset: at,
      chunk: 'fmt ',
    });
  }
  if (channels === 0) throw bad('has zero channels', 'at least 1 channel', '0', at + 2);
  if (sampleRate === 0) throw bad('has a zero sample rate', 'a sample rate > 0', '0', at + 4);
  const allowed = code === WAVE_FORMAT_PCM ? [8, 16, 24, 32] : [32, 64];
  if (!allowed.includes(bitsPerSample)) {
    throw bad(
      `has an unsupported sample size for ${code === WAVE_FORMAT_PCM ? 'PCM' : 'float'}`,
      `${allowed.join(', ')} bits`,
      `${bitsPerSample} bits`,
      at + 14,
    );
  }
  if (blockAlign !== channels * (bitsPerSample / 8)) {
    throw bad('has an inconsistent block align', `${channels} channels × ${bitsPerSample / 8} bytes = ${channels * (bitsPerSample / 8)}`, String(blockAlign), at + 12);
  }
  return { code, channels, sampleRate, blockAlign, bitsPerSample };
}

/**
 * Decodes a RIFF/WAVE file: PCM 8-bit (unsigned), 16, 24 and 32-bit integer, 32 and 64-bit IEEE float,
 * WAVE_FORMAT_EXTENSIBLE of those, any number of channels, other chunks (LIST, fact, cue, …) in any order,
 * odd-sized chunks with their pad byte. Integer samples are scaled by 1/2^(bits−1) into [−1, 1) (8-bit as
 * (v − 128)/128); float samples are returned as stored. A trailing partial frame in the data chunk is dropped.
 *
 * Throws a {@link WavFormatError} (never hangs, never allocates more than 4 bytes per byte of input) when the
 * bytes are not RIFF/WAVE, a header or the data is truncated, a chunk runs past the end of the file, there is
 * no `fmt ` or `data` chunk, the format is inconsistent (zero channels, zero rate, bad block align), or the
 * codec is not PCM/float (ADPCM, μ-law, MP3, …).
 *
 * @example
 * const { sampleRate, channelData } = decodeWav(new Uint8Array(await readFile('digit.wav')));
 */
export function decodeWav(input: Uint8Array | ArrayBuffer): AudioData {
  const bytes = toBytes('decodeWav bytes', input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = readChunks(bytes, view);
  const fmt = chunks.find((c) => c.id === 'fmt ');
  if (fmt === undefined) {
    throw new WavFormatError('GATED_WAV_NO_FORMAT', 'has no "fmt " chunk', {
      expected: 'a "fmt " chunk',
      actual: `chunks ${chunks.map((c) => printable(c.id)).join(', ') || '(none)'}`,
    });
  }
  const format = readFormat(bytes, view, fmt);
  const data = chunks.find((c) => c.id === 'data');
  if (data === undefined) {
    throw new WavFormatError('GATED_WAV_NO_DATA', 'has no "data" chunk', {
      expected: 'a "data" chunk',
      actual: `chunks ${chunks.map((c) => printable(c.id)).join(', ')}`,
    });
  }
  const { channels, blockAlign, bitsPerSample } = format;
  const frames = Math.floor(data.size / blockAlign);
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  const bytesPerSample = bitsPerSample / 8;
  for (const [c, out] of channelData.entries()) {
    let at = data.offset + c * bytesPerSample;
    if (format.code === WAVE_FORMAT_IEEE_FLOAT) {
      if (bitsPerSample === 32) for (let i = 0; i < frames; i++, at += blockAlign) out[i] = view.getFloat32(at, true);
      else for (let i = 0; i < frames; i++, at += blockAlign) out[i] = view.getFloat64(at, true);
    } else if (bitsPerSample === 8) {
      for (let i = 0; i < frames; i++, at += blockAlign) out[i] = (bytes[at]! - 128) / 128;
    } else if (bitsPerSample === 16) {
      for (let i = 0; i < frames; i++, at += blockAlign) out[i] = view.getInt16(at, true) / 32768;
    } else if (bitsPerSample === 24) {
      for (let i = 0; i < frames; i++, at += blockAlign) {
        // Assemble the 24-bit little-endian value, then sign-extend through the top byte.
        const v = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
        out[i] = ((v << 8) >> 8) / 8388608;
      }
    } else {
      for (let i = 0; i < frames; i++, at += blockAlign) out[i] = view.getInt32(at, true) / 2147483648;
    }
  }
  return { sampleRate: format.sampleRate, channelData };
}
