// Shared packing of the embedded speech corpora of @gated/datasets-speech (spoken digits, connected digits):
// voice-disjoint splits, the generator record, brotli packing of the samples and the atomic write of
// data/<name>.bin + data/<name>.json, in the layout src/internal/packed-audio.ts reads.
import { mkdirSync } from 'node:fs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { VOICES, version, writeAtomic } from './synth.mjs';

/**
 * Shuffles the voices with `r` and gives the first `test` to the test split, the next `validation` to validation
 * and the rest to training. Returns the split of each voice and the sorted voice list of each split.
 */
export function splitVoices(r, { test, validation }) {
  const shuffled = r.shuffle([...VOICES]);
  const split = new Map();
  shuffled.forEach((v, i) => {
    split.set(v, i < test ? 'test' : i < test + validation ? 'validation' : 'train');
  });
  const voices = {
    train: shuffled.filter((v) => split.get(v) === 'train').sort(),
    validation: shuffled.filter((v) => split.get(v) === 'validation').sort(),
    test: shuffled.filter((v) => split.get(v) === 'test').sort(),
  };
  return { split, voices };
}

/** How a corpus was made: its script, seed and the espeak-ng and sox versions. */
export function generatorInfo(script, seed) {
  return {
    script,
    seed,
    espeakNg: version('espeak-ng', ['--version'], /text-to-speech:\s*(\S+)/),
    sox: version('sox', ['--version'], /SoX v(\S+)/),
  };
}

/** Brotli at its best setting for the sample bytes (clips back to back). */
export function packSamples(bytes) {
  return brotliCompressSync(bytes, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
}

/** Writes `<outDir>/<name>.bin` (packed samples) and `<outDir>/<name>.json` (the index), each atomically. */
export function writeCorpus(outDir, name, packed, index) {
  mkdirSync(outDir, { recursive: true });
  writeAtomic(outDir, `${name}.bin`, packed);
  writeAtomic(outDir, `${name}.json`, `${JSON.stringify(index)}\n`);
}
