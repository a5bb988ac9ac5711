import { brotliDecompress, promisify, readFile } from '../platform/node.js';
import { SpeechDataError } from '../errors.js';
import { muLawDecode } from './mu-law.js';

const DATA = new URL('../../data/', import.meta.url);
const unbrotli = promisify(brotliDecompress);

/** How the embedded corpora store samples: 8-bit G.711 µ-law or 16-bit little-endian PCM. */
export type PackedEncoding = 'mu-law' | 'pcm16';

/** The part of a corpus index every embedded corpus has. */
export interface PackedIndex {
  readonly totalSamples: number;
}

/** An embedded corpus read from `data/<name>.json` + `data/<name>.bin`. */
export interface PackedAudio<Index extends PackedIndex> {
  readonly index: Index;
  /** Samples in [−1, 1] of the clip at `offset`, `length` (in samples). */
  samples(offset: number, length: number): Float32Array;
}

const BYTES_PER_SAMPLE: Record<PackedEncoding, number> = { 'mu-law': 1, pcm16: 2 };
const EXPECTED: Record<PackedEncoding, (samples: number) => string> = {
  'mu-law': (n) => `${n} µ-law bytes`,
  pcm16: (n) => `${2 * n} bytes of PCM`,
};

/** The raw bytes of an embedded corpus: its JSON index text and its decompressed sample file. */
export async function readPackedBytes(name: string): Promise<{ indexJson: string; sampleBytes: Uint8Array; file: string }> {
  const binUrl = new URL(`${name}.bin`, DATA);
  const indexJson = await readFile(new URL(`${name}.json`, DATA), 'utf8');
  const sampleBytes = new Uint8Array(await unbrotli(await readFile(binUrl)));
  return { indexJson, sampleBytes, file: binUrl.pathname };
}

/**
 * An embedded corpus from its JSON index and its decompressed sample file (clips back to back), checking that
 * the sample count matches the index. `file` names the bytes in errors.
 */
export function packedAudioFromBytes<Index extends PackedIndex>(index: Index, bytes: Uint8Array, encoding: PackedEncoding, file: string): PackedAudio<Index> {
  if (bytes.length !== BYTES_PER_SAMPLE[encoding] * index.totalSamples) {
    throw new SpeechDataError('GATED_SPEECH_BAD_FILE', 'the packed audio does not match its index', {
      file,
      expected: EXPECTED[encoding](index.totalSamples),
      actual: `${bytes.length} bytes`,
    });
  }
  if (encoding === 'mu-law') return { index, samples: (offset, length) => muLawDecode(bytes, offset, length) };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    index,
    samples: (offset, length) => {
      const samples = new Float32Array(length);
      for (let i = 0; i < length; i++) samples[i] = view.getInt16(2 * (offset + i), true) / 32768;
      return samples;
    },
  };
}

/**
 * Reads an embedded corpus: its JSON index and its brotli-compressed sample file (clips back to back), checking
 * that the sample count matches the index.
 */
export async function readPackedAudio<Index extends PackedIndex>(name: string, encoding: PackedEncoding): Promise<PackedAudio<Index>> {
  const { indexJson, sampleBytes, file } = await readPackedBytes(name);
  return packedAudioFromBytes(JSON.parse(indexJson) as Index, sampleBytes, encoding, file);
}

/** `load` run once per process and shared; a failed load is forgotten so the next call tries again. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
