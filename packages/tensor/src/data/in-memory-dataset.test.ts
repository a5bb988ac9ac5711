import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import type { Example } from './collate.js';
import { inMemoryDataset } from './in-memory-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const examples: Example[] = Array.from({ length: 10 }, (_, i) => ({ x: Array.from({ length: 1 + (i % 3) }, () => [i]), y: i }));

async function epochLabels(data: AsyncIterable<{ x: tf.Tensor; y: tf.Tensor; lengths?: tf.Tensor }>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of data) {
    out.push(Array.from(await batch.y.data()));
    tf.dispose([batch.x, batch.y, batch.lengths ?? []]);
  }
  return out;
}

describe('inMemoryDataset', () => {
  it('yields size batches in order, the last one smaller', async () => {
    const data = inMemoryDataset(examples, { batchSize: 4 });
    expect(data.size).toBe(3);
    expect(await epochLabels(data)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('drops the remainder when asked', async () => {
    const data = inMemoryDataset(examples, { batchSize: 4, dropRemainder: true });
    expect(data.size).toBe(2);
    expect((await epochLabels(data)).flat()).toHaveLength(8);
  });

  it('reshuffles each epoch, and the same seed and epoch give the same order', async () => {
    const a = inMemoryDataset(examples, { batchSize: 10, shuffle: true, seed: 7 });
    const first = (await epochLabels(a))[0]!;
    const second = (await epochLabels(a))[0]!;
    expect(first).not.toEqual(second);
    expect([...first].sort((p, q) => p - q)).toEqual(examples.map((_, i) => i));
    const b = inMemoryDataset(examples, { batchSize: 10, shuffle: true, seed: 7 });
    b.setEpoch(1);
    expect((await epochLabels(b))[0]).toEqual(second);
    expect(b.epoch).toBe(2);
    const c = inMemoryDataset(examples, { batchSize: 10, shuffle: true, seed: 8 });
    expect((await epochLabels(c))[0]).not.toEqual(first);
  });

  it('pads each batch to its own longest sequence', async () => {
    const data = inMemoryDataset(examples, { batchSize: 2 });
    const shapes: number[][] = [];
    for await (const batch of data) {
      shapes.push(batch.x.shape);
      tf.dispose([batch.x, batch.y, batch.lengths ?? []]);
    }
    expect(shapes[0]).toEqual([2, 2, 1]);
    expect(shapes[1]).toEqual([2, 3, 1]);
  });

  it('rejects an empty list and examples shaped unlike the first', () => {
    expect(() => inMemoryDataset([], { batchSize: 2 })).toThrow(/examples: expected at least one example/);
    const mixed: Example[] = [{ x: [[1, 2]], y: 0 }, { x: [[1, 2]], y: 0 }, { x: [[1]], y: 0 }];
    expect(() => inMemoryDataset(mixed, { batchSize: 2 })).toThrow(/examples\[2\.\.2\]: expected examples shaped like examples\[0\]/);
  });
});
