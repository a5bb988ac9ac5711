import { readFileSync } from 'node:fs';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bitsPerCharacter, bitsPerToken, crossEntropy, perplexity } from './metrics.js';

const ref = (
  JSON.parse(readFileSync(new URL('./__fixtures__/torch-reference.json', import.meta.url), 'utf8')) as {
    crossEntropy: { logits: number[][][]; targets: number[][]; mask: number[][]; mean: number; maskedMean: number; perplexity: number; bitsPerToken: number };
  }
).crossEntropy;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('metrics', () => {
  it('matches PyTorch F.cross_entropy (mean and masked mean) within 1e-5, without leaking tensors', () => {
    const logits = tf.tensor3d(ref.logits);
    const targets = tf.tensor2d(ref.targets, undefined, 'int32');
    const mask = tf.tensor2d(ref.mask);
    const before = tf.memory().numTensors;
    expect(Math.abs(crossEntropy(logits, targets) - ref.mean)).toBeLessThan(1e-5);
    expect(Math.abs(crossEntropy(logits, targets, mask) - ref.maskedMean)).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, targets, mask]);
  });

  it('turns mean cross-entropy into perplexity and bits as PyTorch users compute them', () => {
    expect(perplexity(ref.mean)).toBeCloseTo(ref.perplexity, 10);
    expect(bitsPerToken(ref.mean)).toBeCloseTo(ref.bitsPerToken, 10);
    expect(bitsPerCharacter(Math.LN2)).toBeCloseTo(1, 12);
    expect(bitsPerCharacter(2 * Math.LN2, { tokens: 100, characters: 400 })).toBeCloseTo(0.5, 12);
    expect(perplexity(0)).toBe(1);
  });

  it('rejects logits whose shape does not match the targets', () => {
    const logits = tf.zeros([2, 5]);
    const targets = tf.zeros([3], 'int32');
    expect(() => crossEntropy(logits, targets)).toThrow(/shape \[3,5\]/);
    tf.dispose([logits, targets]);
  });
});
