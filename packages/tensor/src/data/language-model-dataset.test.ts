import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { LanguageModelDataset } from './language-model-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('LanguageModelDataset', () => {
  it('cuts the stream into contiguous rows that continue from batch to batch (PyTorch batchify)', async () => {
    const tokens = Array.from({ length: 21 }, (_, i) => i);
    const data = new LanguageModelDataset(Int32Array.from(tokens), { batchSize: 2, seqLen: 4 });
    // 2 rows of 10 tokens: 0..9 and 10..19; 9 input steps per row → batches of 4, 4, 1 steps.
    expect(data.size).toBe(3);
    const xs: number[][][] = [];
    const ys: number[][][] = [];
    for await (const batch of data) {
      xs.push((await batch.x.array()) as number[][]);
      ys.push((await batch.y.array()) as number[][]);
      tf.dispose([batch.x, batch.y]);
    }
    expect(xs[0]).toEqual([
      [0, 1, 2, 3],
      [10, 11, 12, 13],
    ]);
    expect(ys[0]).toEqual([
      [1, 2, 3, 4],
      [11, 12, 13, 14],
    ]);
    expect(xs[1]![1]).toEqual([14, 15, 16, 17]);
    expect(xs[2]).toEqual([[8], [18]]);
    expect(ys[2]).toEqual([[9], [19]]);
  });

  it('rejects a stream too short for the batch size', () => {
    expect(() => new LanguageModelDataset(Int32Array.from([1, 2, 3]), { batchSize: 2, seqLen: 4 })).toThrow(/tokens: expected at least 4 tokens/);
  });
});
