import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

/** A tensor as the fixture generator writes it. */
export interface Rec {
  readonly shape: number[];
  readonly data: number[];
}

/** One PyTorch parity fixture (see tools/fixtures/cells/make_torch_fixtures.py). */
export interface TorchFixture {
  readonly name: string;
  readonly kind: 'lstm' | 'gru' | 'rnn';
  readonly reference: string;
  readonly config: {
    inputSize: number;
    hiddenSize: number;
    numLayers: number;
    bidirectional: boolean;
    batchFirst: boolean;
    bias?: boolean;
    projSize?: number;
    peepholes?: boolean;
    resetAfter?: boolean;
    nonlinearity?: 'tanh' | 'relu';
  };
  readonly x: Rec;
  readonly lengths: number[] | null;
  readonly initialState: { hidden: Rec; cell: Rec | null } | null;
  readonly stateDict: Record<string, Rec>;
  readonly lossWeights: { output: Rec; hidden: Rec; cell: Rec | null };
  readonly expected: { output: Rec; hidden: Rec; cell: Rec | null };
  readonly grads: Record<string, Rec>;
}

const DIR = fileURLToPath(new URL('../__fixtures__/', import.meta.url));

/** Every torch-*.json fixture, by name. */
export function loadTorchFixtures(): TorchFixture[] {
  return readdirSync(DIR)
    .filter((f) => f.startsWith('torch-') && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(DIR + f, 'utf8')) as TorchFixture);
}

export const toTensor = (r: Rec): tf.Tensor => tf.tensor(r.data, r.shape, 'float32');

/** Largest absolute difference between a tensor and a fixture record (shapes must match). */
export function maxAbsDiff(actual: tf.Tensor, expected: Rec): number {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new Error(`shape [${actual.shape.join(', ')}] but expected [${expected.shape.join(', ')}]`);
  }
  const a = actual.dataSync();
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - expected.data[i]!));
  return m;
}

/** Largest absolute difference between two tensors of the same shape. */
export function maxAbsDiffTensors(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
