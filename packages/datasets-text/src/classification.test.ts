import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassificationDataset } from './classification-dataset.js';
import { LabelVocabulary } from './label-vocabulary.js';
import { padSequences } from './pad-sequences.js';
import { prepareClassification } from './prepare-classification.js';
import { stratifiedSplit } from './stratified-split.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('padSequences', () => {
  const seqs = [[1, 2, 3, 4, 5, 6, 7], [8, 9]];

  it("truncates long sequences by policy: 'post' keeps the start, 'pre' the end, 'middle' head and tail", () => {
    const row = (t: 'post' | 'pre' | 'middle') => Array.from(padSequences(seqs, { maxLen: 5, truncation: t }).ids.subarray(0, 5));
    expect(row('post')).toEqual([1, 2, 3, 4, 5]);
    expect(row('pre')).toEqual([3, 4, 5, 6, 7]);
    expect(row('middle')).toEqual([1, 2, 3, 6, 7]);
  });

  it('pads after each sequence with padId and reports lengths and the number truncated', () => {
    const p = padSequences(seqs, { maxLen: 4, padId: 0 });
    expect(Array.from(p.ids)).toEqual([1, 2, 3, 4, 8, 9, 0, 0]);
    expect(Array.from(p.lengths)).toEqual([4, 2]);
    expect(p.truncated).toBe(1);
  });

  it('rejects an empty sequence', () => {
    expect(() => padSequences([[1], []], { maxLen: 3 })).toThrow(/sequences\[1\]/);
  });
});

describe('stratifiedSplit', () => {
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30% class 1

  it('keeps class proportions in every split, covers every example once, and is seeded', () => {
    const s = stratifiedSplit(labels, { train: 0.8, validation: 0.1, test: 0.1 }, 3);
    expect(s.train.length + s.validation.length + s.test.length).toBe(1000);
    expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(1000);
    for (const part of [s.train, s.validation, s.test]) {
      const share = part.filter((i) => labels[i] === 1).length / part.length;
      expect(share).toBeCloseTo(0.3, 2);
    }
    expect(stratifiedSplit(labels, undefined, 3)).toEqual(s);
    expect(stratifiedSplit(labels, undefined, 4).test).not.toEqual(s.test);
  });
});

describe('LabelVocabulary', () => {
  it('sorts class names by default, takes an explicit order, and rejects unknown labels', () => {
    expect(LabelVocabulary.fit(['spam', 'ham', 'spam']).classNames).toEqual(['ham', 'spam']);
    const v = LabelVocabulary.fit(['pos', 'neg'], ['pos', 'neg']);
    expect(Array.from(v.encode(['neg', 'pos']))).toEqual([1, 0]);
    expect(() => LabelVocabulary.fit(['pos', 'meh'], ['pos', 'neg'])).toThrow(/"meh"/);
  });
});

describe('ClassificationDataset', () => {
  const data = { ...padSequences([[5], [6, 7, 8], [9, 10], [11, 12, 13, 14]], { maxLen: 4 }), labels: Int32Array.from([0, 1, 0, 1]) };

  it('yields x int32 [B, T], y int32 [B] and lengths int32 [B], batch width = longest sequence by default', async () => {
    const ds = new ClassificationDataset(data, { batchSize: 3 });
    expect(ds.size).toBe(2);
    const batches: { x: number[][]; y: number[]; lengths: number[] }[] = [];
    for await (const b of ds) {
      expect([b.x.dtype, b.y.dtype, b.lengths?.dtype]).toEqual(['int32', 'int32', 'int32']);
      batches.push({ x: b.x.arraySync() as number[][], y: b.y.arraySync() as number[], lengths: b.lengths!.arraySync() as number[] });
      tf.dispose([b.x, b.y, b.lengths!]);
    }
    expect(batches[0]).toEqual({ x: [[5, 0, 0], [6, 7, 8], [9, 10, 0]], y: [0, 1, 0], lengths: [1, 3, 2] });
    expect(batches[1]).toEqual({ x: [[11, 12, 13, 14]], y: [1], lengths: [4] });
  });

  it("pads to maxLen with padding 'max'", () => {
    const b = new ClassificationDataset(data, { batchSize: 2, padding: 'max' }).gather([0, 2]);
    expect(b.x.shape).toEqual([2, 4]);
    tf.dispose([b.x, b.y, b.lengths!]);
  });

  it('shuffles each epoch differently but reproducibly from the seed', () => {
    const big = { ...padSequences(Array.from({ length: 50 }, (_, i) => [i + 1]), { maxLen: 1 }), labels: new Int32Array(50) };
    const ds = new ClassificationDataset(big, { batchSize: 10, shuffle: true, seed: 9 });
    expect(ds.order(0)).toEqual(new ClassificationDataset(big, { batchSize: 10, shuffle: true, seed: 9 }).order(0));
    expect(ds.order(1)).not.toEqual(ds.order(0));
    expect([...ds.order(1)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('setEpoch picks the epoch the next iteration yields, so a resumed trainer sees the same order', async () => {
    const big = { ...padSequences(Array.from({ length: 50 }, (_, i) => [i + 1]), { maxLen: 1 }), labels: new Int32Array(50) };
    const firstIds = async (ds: ClassificationDataset): Promise<number[]> => {
      for await (const b of ds) {
        const ids = Array.from(b.x.dataSync());
        tf.dispose([b.x, b.y, b.lengths ?? []]);
        return ids;
      }
      return [];
    };
    const straight = new ClassificationDataset(big, { batchSize: 10, shuffle: true, seed: 9 });
    await firstIds(straight);
    await firstIds(straight);
    const epoch2 = await firstIds(straight);
    const resumed = new ClassificationDataset(big, { batchSize: 10, shuffle: true, seed: 9 });
    resumed.setEpoch(2);
    expect(resumed.epoch).toBe(2);
    expect(await firstIds(resumed)).toEqual(epoch2);
  });
});

describe('prepareClassification', () => {
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 60; i++) {
    texts.push(i % 3 === 0 ? `win money now offer ${i}` : `meeting notes for project ${i}`);
    labels.push(i % 3 === 0 ? 'spam' : 'ham');
  }

  it('splits stratified, fits the tokenizer on training texts only, and batches padded ids with lengths', async () => {
    const task = prepareClassification(texts, labels, { maxLen: 4, seed: 1, batchSize: 8, tokenizerOptions: { minFrequency: 1 } });
    expect(task.classNames).toEqual(['ham', 'spam']);
    expect(task.counts).toEqual({ train: [32, 16], validation: [4, 2], test: [4, 2] });
    const trainWords = new Set(task.indices.train.flatMap((i) => texts[i]!.split(' ')));
    for (const t of task.tokenizer.vocab.tokens.slice(4)) expect(trainWords.has(t)).toBe(true);
    const testOnly = task.indices.test.map((i) => texts[i]!.split(' ').at(-1)!).find((n) => !trainWords.has(n))!;
    expect(task.tokenizer.vocab.id(testOnly)).toBeUndefined();
    expect(task.truncated).toBe(60); // five words each, maxLen 4
    const before = tf.memory().numTensors;
    let seen = 0;
    for await (const b of task.train) {
      expect(b.x.shape[1]).toBe(4);
      seen += b.y.shape[0]!;
      tf.dispose([b.x, b.y, b.lengths!]);
    }
    expect(seen).toBe(48);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects mismatched labels and an empty corpus', () => {
    expect(() => prepareClassification(['a'], [], { maxLen: 3 })).toThrow(/1 labels/);
    expect(() => prepareClassification([], [], { maxLen: 3 })).toThrow(/GATED|expected at least one labelled text/);
  });
});
