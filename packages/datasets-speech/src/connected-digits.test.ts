import { statSync } from 'node:fs';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConnectedDigits, loadConnectedDigitsAudio } from './connected-digits.js';
import { muLawDecode } from './internal/mu-law.js';
import { batchTranscripts } from './transcript-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('embedded connected-digit corpus', () => {
  it('has 1,000 utterances of 1–7 digits at 8 kHz in 50 voices, splits disjoint by voice, within its 10 MB budget', async () => {
    const audio = await loadConnectedDigitsAudio();
    expect(audio.sampleRate).toBe(8000);
    expect(audio.utterances).toHaveLength(1000);
    const voicesOf = (split: string): Set<string> => new Set(audio.utterances.filter((u) => u.split === split).map((u) => u.voice));
    const [train, validation, test] = [voicesOf('train'), voicesOf('validation'), voicesOf('test')];
    expect([train.size, validation.size, test.size]).toEqual([36, 6, 8]);
    for (const v of test) expect(train.has(v) || validation.has(v)).toBe(false);
    for (const v of validation) expect(train.has(v)).toBe(false);
    const lengths = new Set<number>();
    for (const u of audio.utterances) {
      expect(u.digits).toMatch(/^[0-9]{1,7}$/);
      lengths.add(u.digits.length);
      // At least ~0.1 s per digit, at most 1 s per digit plus padding.
      expect(u.samples.length).toBeGreaterThan(800 * u.digits.length);
      expect(u.samples.length).toBeLessThan(8000 * (u.digits.length + 1));
    }
    expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(audio.generator).toMatchObject({ espeakNg: '1.51', script: 'tools/data/connected-digits/build.mjs' });
    const bytes = statSync(new URL('../data/connected-digits.bin', import.meta.url)).size + statSync(new URL('../data/connected-digits.json', import.meta.url)).size;
    expect(bytes).toBeLessThan(10_000_000);
  });

  it('µ-law decoding follows G.711: 0xFF and 0x7F are silence, 0x80 / 0x00 the loudest ±32124', () => {
    const out = muLawDecode(Uint8Array.from([0xff, 0x7f, 0x80, 0x00, 0xf0, 0x70]), 0, 6);
    expect(Array.from(out, (v) => Math.round(v * 32768) + 0)).toEqual([0, 0, 32124, -32124, 120, -120]);
  });

  it('loads MFCC + Δ + ΔΔ at a 20 ms shift with digit transcripts, global CMVN from the training voices only', async () => {
    const corpus = await loadConnectedDigits();
    expect(corpus.featureDim).toBe(39);
    expect(corpus.pipeline).toEqual({ kind: 'mfcc', sampleRate: 8000, options: { frameShiftMs: 20 }, deltas: 2, utteranceCmvn: 'none' });
    expect([corpus.splits.train.length, corpus.splits.validation.length, corpus.splits.test.length]).toEqual([720, 120, 160]);
    // CMVN: training frames have mean 0 and std 1 per dimension; the test voices only approximately.
    const stats = (items: typeof corpus.splits.train) => {
      const sum = new Float64Array(39);
      const sq = new Float64Array(39);
      let n = 0;
      for (const u of items) {
        const { data, shape } = u.features;
        for (let t = 0; t < shape[0]; t++) for (let f = 0; f < 39; f++) {
          sum[f]! += data[t * 39 + f]!;
          sq[f]! += data[t * 39 + f]! ** 2;
        }
        n += shape[0];
      }
      return { mean: Array.from(sum, (s) => s / n), std: Array.from(sq, (s, f) => Math.sqrt(s / n - (sum[f]! / n) ** 2)) };
    };
    const train = stats(corpus.splits.train);
    for (let f = 0; f < 39; f++) {
      expect(Math.abs(train.mean[f]!)).toBeLessThan(1e-3);
      expect(train.std[f]!).toBeCloseTo(1, 3);
    }
    // Frames: a CTC model needs at least one frame per digit (plus one per repeat), with room to spare.
    for (const u of corpus.splits.test) expect(u.features.shape[0]).toBeGreaterThan(3 * u.tokens.length);
    await expect(loadConnectedDigits({ feature: 'mfcc' } as never)).rejects.toThrow(/unknown option "feature".*Did you mean "features"/);
  });

  it('batches transcripts: x [B, T, F] zero-padded, y [B, S] padded with −1, lengths and target lengths', async () => {
    const corpus = await loadConnectedDigits({ maxPerSplit: 10 });
    const before = tf.memory().numTensors;
    const items = corpus.splits.train;
    let seen = 0;
    for await (const b of batchTranscripts(items.length, (i) => items[i]!, { batchSize: 4 })) {
      const B = b.x.shape[0]!;
      const lengths = Array.from(b.lengths.dataSync());
      const targetLengths = Array.from(b.targetLengths.dataSync());
      const y = b.y.arraySync() as number[][];
      for (let i = 0; i < B; i++) {
        const item = items[seen + i]!;
        expect(lengths[i]).toBe(item.features.shape[0]);
        expect(targetLengths[i]).toBe(item.tokens.length);
        expect(y[i]!.slice(0, item.tokens.length)).toEqual(item.tokens);
        expect(y[i]!.slice(item.tokens.length).every((v) => v === -1)).toBe(true);
        expect(b.tokens[i]).toEqual(item.tokens);
      }
      expect(b.x.shape[1]).toBe(Math.max(...lengths));
      seen += B;
      tf.dispose([b.x, b.y, b.lengths, b.targetLengths]);
    }
    expect(seen).toBe(10);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('length bucketing keeps every utterance once per epoch and pads less', async () => {
    const corpus = await loadConnectedDigits({ maxPerSplit: 200 });
    const items = corpus.splits.train;
    const epochOf = async (bucketSize: number, seed: number) => {
      const ds = batchTranscripts(items.length, (i) => items[i]!, { batchSize: 16, shuffle: true, seed, bucketSize });
      const seen: number[] = [];
      let padded = 0;
      let batches = 0;
      for await (const b of ds) {
        padded += b.x.shape[1]! * b.x.shape[0]!;
        batches++;
        for (const n of b.lengths.dataSync()) seen.push(n);
        tf.dispose([b.x, b.y, b.lengths, b.targetLengths]);
      }
      expect(batches).toBe(ds.size);
      return { seen: seen.sort((a, c) => a - c), padded };
    };
    const plain = await epochOf(1, 1);
    const bucketed = await epochOf(8, 1);
    expect(bucketed.seen).toEqual(plain.seen);
    expect(bucketed.seen).toEqual(items.map((u) => u.features.shape[0]).sort((a, c) => a - c));
    expect(bucketed.padded).toBeLessThan(plain.padded * 0.8);
    expect(() => batchTranscripts(1, () => items[0]!, { bucketSize: 0 })).toThrow(/bucketSize/);
  });
});
