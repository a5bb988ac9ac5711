import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { TensorLeakError, assertNoLeak, profile } from './profile.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('profile', () => {
  it('reports peak tensor bytes, new tensors, wall time and RSS', async () => {
    const kept: tf.Tensor[] = [];
    const base = tf.ones([250]); // 1,000 bytes held before the call
    const { result, peakBytes, peakNewBytes, newTensors, newBytes, wallMs, rssBytes, maxRssBytes } = await profile(() => {
      const zeros = tf.zeros([1000]);
      const big = tf.add(zeros, zeros); // two 4,000-byte tensors, both freed inside
      const small = tf.ones([10]); // 40 bytes, kept
      tf.dispose([zeros, big]);
      kept.push(small);
      return 'done';
    });
    expect(result).toBe('done');
    expect(peakNewBytes).toBeGreaterThanOrEqual(8000);
    expect(peakBytes).toBeGreaterThanOrEqual(peakNewBytes + 1000);
    expect(newTensors).toBe(1);
    expect(newBytes).toBe(40);
    expect(wallMs).toBeGreaterThanOrEqual(0);
    expect(rssBytes).toBeGreaterThan(1e6);
    expect(maxRssBytes).toBeGreaterThanOrEqual(rssBytes * 0.5);
    tf.dispose([...kept, base]);
  });
});

describe('assertNoLeak', () => {
  it('passes for code that disposes what it makes', async () => {
    await expect(assertNoLeak(() => tf.tidy(() => tf.sum(tf.add(tf.ones([3]), 1)).dataSync()))).resolves.toBeUndefined();
  });

  it('fails for code that leaks, saying how many tensors', async () => {
    const leaked: tf.Tensor[] = [];
    const error = await assertNoLeak(() => leaked.push(tf.ones([2])), { repeats: 5, label: 'leaky step' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TensorLeakError);
    expect((error as TensorLeakError).message).toMatch(/leaky step: .* over 5 calls, got \d+ \(5 leaked\)/);
    tf.dispose(leaked);
  });
});
