import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GatedError, GradientsUnavailableError } from '../check/errors.js';
import { initBackend } from './backend.js';
import { registerGradients } from './gradients.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('registerGradients', () => {
  it('leaves, after initBackend, the gradients of the ops training uses registered, the wasm gather gradient included', () => {
    for (const kernel of ['Add', 'BatchMatMul', 'Tanh', 'Sigmoid', 'GatherV2', 'Softmax', 'Concat']) expect(tf.getGradient(kernel)).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('is idempotent, and tf.variableGrads works after it', async () => {
    await registerGradients();
    await registerGradients();
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.tanh(w)) as tf.Scalar, [w]);
    const expected = [1, 2, 3].map((v) => 1 - Math.tanh(v) ** 2);
    const got = Array.from(grads[w.name]?.dataSync() ?? []);
    expect(got).toHaveLength(3);
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(expected[i] ?? Number.NaN, 6);
    });
    tf.dispose([w, value, ...Object.values(grads)]);
  });

  it('names what to install when the gradients cannot be loaded', () => {
    const error = new GradientsUnavailableError('@tensorflow/tfjs-layers', new Error('not found'));
    expect(error).toBeInstanceOf(GatedError);
    expect(error.code).toBe('GATED_GRADIENTS_UNAVAILABLE');
    expect(error.details).toEqual({ install: 'npm install @tensorflow/tfjs-layers' });
    expect(error.message).toContain('npm install @tensorflow/tfjs-layers');
  });
});
