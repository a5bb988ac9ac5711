import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpokenDigits, loadSpokenDigitsAudio } from './spoken-digits.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('embedded spoken-digit set', () => {
  it('has 1,500 clips of ten digits at 8 kHz, with splits disjoint by voice', async () => {
    const audio = await loadSpokenDigitsAudio();
    expect(audio.sampleRate).toBe(8000);
    expect(audio.labels).toEqual(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);
    expect(audio.clips).toHaveLength(1500);
    const voicesOf = (split: string): Set<string> => new Set(audio.clips.filter((c) => c.split === split).map((c) => c.voice));
    const [train, validation, test] = [voicesOf('train'), voicesOf('validation'), voicesOf('test')];
    expect([train.size, validation.size, test.size]).toEqual([36, 6, 8]);
    for (const v of test) expect(train.has(v) || validation.has(v)).toBe(false);
    for (const v of validation) expect(train.has(v)).toBe(false);
    // Every split has every digit, equally often.
    for (const split of ['train', 'validation', 'test']) {
      const counts = new Array(10).fill(0);
      for (const c of audio.clips) if (c.split === split) counts[c.label]++;
      expect(new Set(counts).size).toBe(1);
    }
    for (const c of audio.clips) {
      expect(c.samples.length).toBeGreaterThan(800);
      expect(c.samples.length).toBeLessThan(16000);
    }
    expect(audio.generator).toMatchObject({ espeakNg: '1.51', script: 'tools/data/spoken-digits/build.mjs' });
  });

  it('loads as MFCC + Δ + ΔΔ batches [B, T, 39] with int32 labels and lengths, global CMVN from train only', async () => {
    const before = tf.memory().numTensors;
    const digits = await loadSpokenDigits({ features: 'mfcc', deltas: true, seed: 3, batchSize: 50 });
    expect(digits.featureDim).toBe(39);
    expect(digits.counts).toEqual({ train: 1080, validation: 180, test: 240 });
    expect(digits.train.size).toBe(22);
    expect(digits.pipeline).toEqual({ kind: 'mfcc', sampleRate: 8000, options: {}, deltas: 2, utteranceCmvn: 'none' });
    expect(digits.cmvn?.dim).toBe(39);
    // The saved statistics are the training split's: normalised training frames have mean 0 and std 1.
    const sum = new Float64Array(39);
    const sumSq = new Float64Array(39);
    let frames = 0;
    let nonZeroPadding = 0;
    for await (const { x, y, lengths } of digits.train) {
      expect(x.dtype).toBe('float32');
      expect(y.dtype).toBe('int32');
      expect(lengths!.dtype).toBe('int32');
      const [b, t, f] = x.shape;
      expect(f).toBe(39);
      const data = x.dataSync();
      const len = lengths!.dataSync();
      expect(Math.max(...len)).toBe(t);
      for (const label of y.dataSync()) expect(label >= 0 && label < 10).toBe(true);
      for (let i = 0; i < b!; i++) {
        for (let s = 0; s < t!; s++) {
          for (let d = 0; d < 39; d++) {
            const v = data[(i * t! + s) * 39 + d]!;
            if (s >= len[i]!) nonZeroPadding += v === 0 ? 0 : 1;
            else {
              sum[d]! += v;
              sumSq[d]! += v * v;
            }
          }
        }
        frames += len[i]!;
      }
      tf.dispose([x, y, lengths!]);
    }
    expect(nonZeroPadding).toBe(0);
    expect(frames).toBe(digits.cmvn!.count);
    for (let d = 0; d < 39; d++) {
      expect(Math.abs(sum[d]! / frames)).toBeLessThan(1e-3);
      expect(Math.sqrt(sumSq[d]! / frames)).toBeCloseTo(1, 3);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('shuffles the training split the same way for the same seed, differently per epoch and seed', async () => {
    const labelsOf = async (seed: number, epochs: number): Promise<number[][]> => {
      const { train } = await loadSpokenDigits({ seed, batchSize: 300, maxPerSplit: 300 });
      const out: number[][] = [];
      for (let e = 0; e < epochs; e++) {
        for await (const batch of train) {
          out.push(Array.from(batch.y.dataSync()));
          tf.dispose([batch.x, batch.y, batch.lengths!]);
        }
      }
      return out;
    };
    const [a1, a2] = await labelsOf(7, 2);
    const [b1] = await labelsOf(7, 1);
    const [c1] = await labelsOf(8, 1);
    expect(b1).toEqual(a1);
    expect(a2).not.toEqual(a1);
    expect(c1).not.toEqual(a1);
  });

  it('is learnable across voices: a nearest-centroid classifier on mean MFCCs beats chance on unheard test voices', async () => {
    // A floor on data quality, not a model: chance is 10 %; measured 54 % when the set was built.
    const digits = await loadSpokenDigits({ deltas: false, batchSize: 2000 });
    const meansOf = async (ds: typeof digits.train): Promise<{ means: number[][]; labels: number[] }> => {
      const means: number[][] = [];
      const labels: number[] = [];
      for await (const { x, y, lengths } of ds) {
        const [b, t, f] = x.shape as [number, number, number];
        const data = x.dataSync();
        const len = lengths!.dataSync();
        for (let i = 0; i < b; i++) {
          const m = new Array(f).fill(0);
          for (let s = 0; s < len[i]!; s++) for (let d = 0; d < f; d++) m[d] += data[(i * t + s) * f + d]! / len[i]!;
          means.push(m);
        }
        labels.push(...y.dataSync());
        tf.dispose([x, y, lengths!]);
      }
      return { means, labels };
    };
    const train = await meansOf(digits.train);
    const test = await meansOf(digits.test);
    const centroids = Array.from({ length: 10 }, (_, c) => {
      const rows = train.means.filter((_, i) => train.labels[i] === c);
      return rows[0]!.map((_, d) => rows.reduce((s, r) => s + r[d]!, 0) / rows.length);
    });
    let correct = 0;
    test.means.forEach((m, i) => {
      const dist = centroids.map((c) => c.reduce((s, v, d) => s + (v - m[d]!) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === test.labels[i]) correct++;
    });
    expect(correct / test.means.length).toBeGreaterThan(0.3);
  });
});
