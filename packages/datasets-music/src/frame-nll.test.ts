import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameNll, frameNllPerStep, frameNllSums } from './frame-nll.js';

interface Reference {
  shape: [number, number, number];
  logits: number[];
  targets: number[];
  mask: number[];
  perStep: number[];
  nll: number;
}
const ref = JSON.parse(readFileSync(new URL('./__fixtures__/nll-reference.json', import.meta.url), 'utf8')) as Reference;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('frame NLL', () => {
  it("matches PyTorch's binary_cross_entropy_with_logits summed over keys, per step, within 1e-3 nats (float32)", async () => {
    const [B, T, K] = ref.shape;
    const before = tf.memory().numTensors;
    const logits = tf.tensor3d(ref.logits, [B, T, K]);
    const targets = tf.tensor3d(ref.targets, [B, T, K]);
    const mask = tf.tensor2d(ref.mask, [B, T]);
    const perStep = frameNllPerStep(logits, targets);
    const ours = Array.from(await perStep.data());
    perStep.dispose();
    const worst = Math.max(...ours.map((v, i) => Math.abs(v - ref.perStep[i]!)));
    expect(worst).toBeLessThan(1e-3);
    // Logits of ±40 and ±90 on some keys: the stable form gives 0 or |z| there, never Inf/NaN.
    expect(ours.every(Number.isFinite)).toBe(true);
    const sums = await frameNllSums(logits, targets, mask);
    expect(sums.steps).toBe(ref.mask.reduce((a, b) => a + b, 0));
    expect(Math.abs(frameNll([sums]) - ref.nll) / ref.nll).toBeLessThan(1e-5);
    tf.dispose([logits, targets, mask]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pools steps across batches: the mean over all steps, not the mean of batch means', () => {
    expect(frameNll([{ sum: 10, steps: 1 }, { sum: 30, steps: 3 }])).toBe(10);
    expect(frameNll([])).toBeNaN();
  });

  it('is 88·ln 2 per step for logits of 0 (every key a coin flip)', async () => {
    const z = tf.zeros([1, 3, 88]);
    const y = tf.ones([1, 3, 88]);
    const sums = await frameNllSums(z, y);
    expect(frameNll([sums])).toBeCloseTo(88 * Math.LN2, 4);
    tf.dispose([z, y]);
  });
});
