import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import type { Example } from './collate.js';
import { streamingDataset } from './streaming-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

async function* numbers(n: number): AsyncGenerator<Example> {
  for (let i = 0; i < n; i++) yield { x: [[i]], y: i };
}

async function labels(data: AsyncIterable<{ x: tf.Tensor; y: tf.Tensor }>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of data) {
    out.push(Array.from(await batch.y.data()));
    tf.dispose([batch.x, batch.y]);
  }
  return out;
}

describe('streamingDataset', () => {
  it('batches a lazy source in order and has no size unless told', async () => {
    const data = streamingDataset(() => numbers(5), { batchSize: 2 });
    expect(data.size).toBeUndefined();
    expect(await labels(data)).toEqual([[0, 1], [2, 3], [4]]);
    expect(streamingDataset(() => numbers(5), { batchSize: 2, size: 3 }).size).toBe(3);
  });

  it('shuffles through a seeded buffer: a permutation, different per epoch, equal for equal seeds', async () => {
    const data = streamingDataset(() => numbers(50), { batchSize: 50, shuffleBuffer: 8, seed: 1 });
    const first = (await labels(data))[0]!;
    const second = (await labels(data))[0]!;
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(first).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(second).not.toEqual(first);
    const again = streamingDataset(() => numbers(50), { batchSize: 50, shuffleBuffer: 8, seed: 1 });
    again.setEpoch(1);
    expect((await labels(again))[0]).toEqual(second);
  });

  it('passes the epoch to the source and can drop the remainder', async () => {
    const seen: number[] = [];
    const data = streamingDataset(
      (epoch) => {
        seen.push(epoch);
        return [1, 2, 3].map((v) => ({ x: [v], y: v }));
      },
      { batchSize: 2, dropRemainder: true },
    );
    expect(await labels(data)).toEqual([[1, 2]]);
    await labels(data);
    expect(seen).toEqual([0, 1]);
  });
});
