import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from './index.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const UNKNOWN = { notAnOption: 1 } as never;
const example = { x: [1, 2], y: 0 };

const TAKES_OPTIONS: Record<string, () => unknown> = {
  initBackend: () => api.initBackend(UNKNOWN),
  assertNoLeak: () => api.assertNoLeak(() => undefined, UNKNOWN),
  collate: () => api.collate([example], UNKNOWN),
  packExamples: () => api.packExamples([example], UNKNOWN),
  inMemoryDataset: () => api.inMemoryDataset([example], { batchSize: 1, ...(UNKNOWN as object) }),
  streamingDataset: () => api.streamingDataset(() => [example], { batchSize: 1, ...(UNKNOWN as object) }),
  tensorDataset: () => api.tensorDataset({ x: tf.zeros([2, 1]), y: tf.zeros([2]) }, { batchSize: 1, ...(UNKNOWN as object) }),
  languageModelDataset: () => api.languageModelDataset([1, 2, 3, 4], { batchSize: 1, seqLength: 2, ...(UNKNOWN as object) }),
  checkOptions: () => api.checkOptions('f', UNKNOWN, { known: 'any' }),
};

const NO_OPTIONS: Record<string, string> = {
  registerWasmTrainingKernels: 'no arguments',
  registerGradients: 'no arguments',
  withEpochs: 'a size record and an epoch-to-batches function',
  GatedError: 'error class',
  ArgumentError: 'error class',
  BackendUnavailableError: 'error class',
  NodeOnlyError: 'error class',
  OptionsError: 'error class',
  SafetensorsError: 'error class',
  TensorLeakError: 'error class',
  Rng: 'a seed',
  zeros: 'no arguments',
  ones: 'no arguments',
  constant: 'a value',
  uniform: 'positional bounds',
  normal: 'positional mean and std',
  glorotUniform: 'a gain',
  orthogonal: 'a gain',
  recurrentUniform: 'a hidden size',
  withForgetBias: 'positional arguments',
  fans: 'a shape',
  assertShape: 'positional arguments',
  assertInteger: 'positional arguments',
  assertNumberInRange: 'positional arguments',
  describeValue: 'a value',
  toBytes: 'positional arguments',
  toFloat32Array: 'positional arguments',
  assertTensor: 'positional arguments',
  assertObject: 'positional arguments',
  assertString: 'positional arguments',
  writeFileAtomic: 'path and data',
  readSafetensors: 'bytes',
  writeSafetensors: 'tensors and a metadata record (any string keys)',
  readSafetensorsFile: 'a path',
  writeSafetensorsFile: 'path, tensors and a metadata record (any string keys)',
  toTfTensors: 'a record of tensors (any keys)',
  fromTfTensors: 'a record of tensors (any keys)',
  profile: 'a function',
};

beforeAll(async () => {
  await api.initBackend({ backend: 'wasm' });
});

describe('public entry points of @gated/tensor', () => {
  it('are each listed as taking an options object or not', () => {
    const functions = Object.entries(api)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect([...Object.keys(TAKES_OPTIONS), ...Object.keys(NO_OPTIONS)].sort()).toEqual(functions);
  });

  it.each(Object.entries(TAKES_OPTIONS))('%s rejects an unknown option key with an OptionsError', async (_name, call) => {
    let caught: unknown;
    try {
      await call();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(api.OptionsError);
    expect((caught as api.OptionsError).code).toBe('GATED_UNKNOWN_OPTION');
    expect((caught as Error).message).toContain('"notAnOption"');
  });
});
