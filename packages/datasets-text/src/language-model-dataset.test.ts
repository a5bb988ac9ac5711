import { readFileSync } from 'node:fs';
import { LanguageModelDataset, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { contiguousSplit } from './contiguous-split.js';
import { RandomWindowDataset } from './random-window-dataset.js';

interface BatchifyCase {
  stream: number[];
  batchSize: number;
  seqLen: number;
  batches: { x: number[][]; y: number[][] }[];
}
const reference = JSON.parse(readFileSync(new URL('./__fixtures__/torch-reference.json', import.meta.url), 'utf8')) as {
  batchify: BatchifyCase[];
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const ramp = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('LanguageModelDataset', () => {
  it('gives exactly the batches of PyTorch word_language_model (batchify + get_batch), batch-first', async () => {
    for (const c of reference.batchify) {
      const ds = new LanguageModelDataset(Int32Array.from(c.stream), { batchSize: c.batchSize, seqLen: c.seqLen });
      expect(ds.size).toBe(c.batches.length);
      let k = 0;
      for await (const { x, y } of ds) {
        expect(x.dtype).toBe('int32');
        expect(y.dtype).toBe('int32');
        expect(x.arraySync()).toEqual(c.batches[k]!.x);
        expect(y.arraySync()).toEqual(c.batches[k]!.y);
        tf.dispose([x, y]);
        k++;
      }
      expect(k).toBe(c.batches.length);
    }
  });

  it('is contiguous: row b of batch k+1 starts where row b of batch k ended, so state can carry over', () => {
    const ds = new LanguageModelDataset(ramp(1000), { batchSize: 4, seqLen: 10 });
    const k3 = ds.batch(3);
    const k4 = ds.batch(4);
    const a = k3.x.arraySync() as number[][];
    const b = k4.x.arraySync() as number[][];
    tf.dispose([k3.x, k3.y, k4.x, k4.y]);
    for (let row = 0; row < 4; row++) expect(b[row]![0]).toBe(a[row]![9]! + 1);
  });

  it('makes every batch [B, seqLen] with dropLast, and keeps a shorter last batch without', () => {
    const keep = new LanguageModelDataset(ramp(103), { batchSize: 4, seqLen: 10 }); // 25 per row → 24 steps
    expect(keep.size).toBe(3);
    const last = keep.batch(2);
    expect(last.x.shape).toEqual([4, 4]);
    tf.dispose([last.x, last.y]);
    const drop = new LanguageModelDataset(ramp(103), { batchSize: 4, seqLen: 10, dropLast: true });
    expect(drop.size).toBe(2);
  });

  it('leaves no tensors behind once the consumer disposes each batch', async () => {
    const ds = new LanguageModelDataset(ramp(5000), { batchSize: 8, seqLen: 20 });
    const before = tf.memory().numTensors;
    for await (const { x, y } of ds) tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a stream too short for one batch', () => {
    expect(() => new LanguageModelDataset(ramp(5), { batchSize: 4, seqLen: 10 })).toThrow(/at least 8 tokens/);
  });
});

describe('RandomWindowDataset', () => {
  it('draws windows with targets shifted by one, the same for the same seed and epoch, new ones each epoch', async () => {
    const ids = ramp(10_000);
    const ds = new RandomWindowDataset(ids, { batchSize: 3, seqLen: 16, batchesPerEpoch: 2, seed: 7 });
    const again = new RandomWindowDataset(ids, { batchSize: 3, seqLen: 16, batchesPerEpoch: 2, seed: 7 });
    expect(ds.starts(0, 1)).toEqual(again.starts(0, 1));
    expect(ds.starts(1, 1)).not.toEqual(ds.starts(0, 1));
    const { x, y } = ds.batch(0, 0);
    const xs = x.arraySync() as number[][];
    const ys = y.arraySync() as number[][];
    tf.dispose([x, y]);
    xs.forEach((row, b) => {
      expect(row[0]).toBe(ds.starts(0, 0)[b]);
      expect(ys[b]).toEqual(row.map((v) => v + 1)); // on a ramp, the next token is id + 1
    });
    const first: number[] = [];
    for await (const batch of ds) {
      first.push((batch.x.arraySync() as number[][])[0]![0]!);
      tf.dispose([batch.x, batch.y]);
    }
    const second: number[] = [];
    for await (const batch of ds) {
      second.push((batch.x.arraySync() as number[][])[0]![0]!);
      tf.dispose([batch.x, batch.y]);
    }
    expect(first).toEqual([ds.starts(0, 0)[0], ds.starts(0, 1)[0]]);
    expect(second).toEqual([ds.starts(1, 0)[0], ds.starts(1, 1)[0]]);
  });

  it('draws starts over the whole stream, keeping every window and its targets inside it', () => {
    const ds = new RandomWindowDataset(ramp(30), { batchSize: 500, seqLen: 10, seed: 1 });
    const starts = ds.starts(0, 0);
    expect(Math.min(...starts)).toBe(0);
    expect(Math.max(...starts)).toBe(30 - 10 - 1); // last target is token 29
  });
});

describe('contiguousSplit', () => {
  it('cuts train | validation | test in order without overlap or shuffling', () => {
    const ids = ramp(1000);
    const { train, validation, test, ranges } = contiguousSplit(ids, { train: 0.8, validation: 0.1, test: 0.1 });
    expect(ranges).toEqual({ train: [0, 800], validation: [800, 900], test: [900, 1000] });
    expect([train[0], train.at(-1), validation[0], validation.at(-1), test[0], test.at(-1)]).toEqual([0, 799, 800, 899, 900, 999]);
  });

  it('never cuts a string inside a surrogate pair', () => {
    const text = `${'a'.repeat(9)}🐋${'b'.repeat(9)}`; // 🐋 at UTF-16 9..10
    const { train, validation, test } = contiguousSplit(text, { train: 0.5, validation: 0.5, test: 0 });
    expect(train + validation + test).toBe(text);
    expect(train.endsWith('🐋') || validation.startsWith('🐋')).toBe(true);
  });

  it('rejects fractions that do not add up to 1', () => {
    expect(() => contiguousSplit('abc', { train: 0.5, validation: 0.2, test: 0.2 })).toThrow(/= 1/);
  });
});
