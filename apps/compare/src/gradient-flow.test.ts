import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelGradientFlow } from './gradient-flow.js';

interface Case {
  kind: 'lstm' | 'gru' | 'rnn';
  inputSize: number;
  hiddenSize: number;
  weights: Record<string, number[] | number[][]>;
  x: number[][][];
  y: number[][];
  norms: number[];
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/torch-gradient-flow.json', import.meta.url), 'utf8')) as { cases: Case[] };

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('gradient flow', () => {
  it.each(fixture.cases.map((c) => [c.kind, c] as const))('‖∂L/∂h_t‖ of %s matches PyTorch autograd within 1e-4 relative', (_kind, c) => {
    const model = new SequenceModel({ kind: c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, outputSize: 1, pooling: 'last' });
    const record = Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, tf.tensor(v as number[])]));
    model.loadTorchStateDict(record);
    tf.dispose(Object.values(record));
    const x = tf.tensor3d(c.x);
    const y = tf.tensor2d(c.y);
    const before = tf.memory().numTensors;
    const norms = modelGradientFlow(model, x, y);
    expect(tf.memory().numTensors).toBe(before);
    expect(norms).toHaveLength(c.norms.length);
    for (const [t, n] of norms.entries()) expect(Math.abs(n - c.norms[t]!) / c.norms[t]!).toBeLessThan(1e-4);
    tf.dispose([x, y]);
    model.dispose();
  });
});
