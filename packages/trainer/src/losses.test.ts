import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LossKind, checkLossShapes, computeLoss, lengthMask } from './losses.js';
import { metricValues, sumsOf } from './metrics.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

interface Case {
  name: string;
  loss: LossKind;
  output: number[];
  y: number[];
  mask?: number[];
  expected: number;
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/losses.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };

describe(`losses match PyTorch ${fixture.torch} within 1e-6 relative`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const before = tf.memory().numTensors;
      const output = tf.tensor(c.output);
      const depth = (v: unknown): number => (Array.isArray(v) ? 1 + depth(v[0]) : 0);
      const sparse = c.loss === 'crossEntropy' && output.rank === depth(c.y) + 1;
      const y = sparse ? tf.tensor(c.y, undefined, 'int32') : tf.tensor(c.y);
      const mask = c.mask === undefined ? undefined : tf.tensor(c.mask);
      checkLossShapes(c.loss, output.shape, y.shape, mask?.shape);
      const { loss, stats } = computeLoss(c.loss, output, y, mask);
      expect(Math.abs(loss.arraySync() - c.expected) / Math.abs(c.expected)).toBeLessThan(1e-6);
      tf.dispose([output, y, loss, stats, mask ?? []]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('loss sums and metrics', () => {
  it('counts only valid positions and derives accuracy, perplexity and bits per character from the sums', () => {
    // Two sequences, the second padded after 1 step; uniform logits over 4 classes → loss ln 4.
    const output = tf.zeros([2, 2, 4]);
    const y = tf.tensor2d([[1, 2], [3, 0]], [2, 2], 'int32');
    const weights = lengthMask(tf.tensor1d([2, 1], 'int32'), 2);
    expect(Array.from(weights.dataSync())).toEqual([1, 1, 1, 0]);
    const { stats } = computeLoss('crossEntropy', output, y, weights);
    const { lossSum, count } = sumsOf(stats.dataSync());
    expect(count).toBe(3);
    expect(lossSum / count).toBeCloseTo(Math.log(4), 6);
    const m = metricValues({ lossSum, count, correct: 1, absSum: 0, sqSum: 0 }, ['accuracy', 'perplexity', 'bpc'], 'val_');
    expect(m['val_accuracy']).toBeCloseTo(1 / 3, 12);
    expect(m['val_perplexity']).toBeCloseTo(4, 5);
    expect(m['val_bpc']).toBeCloseTo(2, 5);
    const r = metricValues({ lossSum: 5, count: 4, correct: 0, absSum: 2, sqSum: 5 }, ['mae', 'rmse']);
    expect(r).toEqual({ loss: 1.25, mae: 0.5, rmse: Math.sqrt(1.25) });
    tf.dispose([output, y, weights, stats]);
  });

  it('names the mismatch when targets do not fit the output', () => {
    expect(() => checkLossShapes('crossEntropy', [4, 10, 5], [4], undefined)).toThrow(/targets y for crossEntropy: expected class ids \[4, 10\] or probabilities \[4, 10, 5\]/);
    expect(() => checkLossShapes('mse', [4, 2], [4, 3], undefined)).toThrow(/targets y for mse: expected the model output's shape \[4, 2\], got y \[4, 3\]/);
    expect(() => checkLossShapes('mse', [4, 1], [4], undefined)).not.toThrow();
  });
});
