import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextStepArrays, nextStepBatches } from './next-step-batches.js';
import { PIANO_KEYS, encodePianoRoll } from './piano-roll.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const piece = (name: string, notes: number[]) => encodePianoRoll(notes.map((n) => [n]), { file: 'f', piece: name });

describe('next-step batches', () => {
  it('predicts frame t + 1 from frame t, pads shorter pieces and marks their valid steps', () => {
    const a = nextStepArrays([piece('a', [60, 62, 64, 65]), piece('b', [70, 72])]);
    expect([a.batch, a.steps]).toEqual([2, 3]);
    expect(Array.from(a.lengths)).toEqual([3, 1]);
    expect(Array.from(a.mask)).toEqual([1, 1, 1, 1, 0, 0]);
    const on = (arr: Float32Array, b: number, t: number) => Array.from(arr.subarray((b * 3 + t) * PIANO_KEYS, (b * 3 + t + 1) * PIANO_KEYS)).indexOf(1) + 21;
    expect([on(a.x, 0, 0), on(a.x, 0, 1), on(a.x, 0, 2)]).toEqual([60, 62, 64]);
    expect([on(a.y, 0, 0), on(a.y, 0, 1), on(a.y, 0, 2)]).toEqual([62, 64, 65]);
    expect([on(a.x, 1, 0), on(a.y, 1, 0)]).toEqual([70, 72]);
    // Padding is all zeros (key index 20 = "no key on").
    expect([on(a.x, 1, 1), on(a.y, 1, 2)]).toEqual([20, 20]);
  });

  it('rejects a one-frame piece (nothing to predict)', () => {
    expect(() => nextStepArrays([piece('solo', [60])])).toThrow(/solo/);
  });

  it('shuffles per (seed, epoch), covers every piece once per epoch and leaks no tensors', async () => {
    const pieces = Array.from({ length: 7 }, (_, i) => piece(`p${i}`, Array.from({ length: i + 2 }, () => 60 + i)));
    const order = async (seed: number, epoch: number) => {
      const data = nextStepBatches(pieces, { batchSize: 3, shuffle: true, seed });
      data.setEpoch(epoch);
      const seen: number[] = [];
      for await (const batch of data) {
        const lengths = await batch.lengths!.data();
        seen.push(...Array.from(lengths));
        tf.dispose([batch.x, batch.y, batch.lengths!, batch.mask!]);
      }
      return seen;
    };
    const before = tf.memory().numTensors;
    const a = await order(1, 0);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await order(1, 0)).toEqual(a);
    expect(await order(1, 1)).not.toEqual(a);
    expect(tf.memory().numTensors).toBe(before);
    expect(nextStepBatches(pieces, { batchSize: 3 }).size).toBe(3);
    expect(() => nextStepBatches(pieces, { batchsize: 3 } as never)).toThrow(/batchsize/);
  });
});
