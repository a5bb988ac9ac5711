import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { publicEntryPointTests, UNKNOWN as UNKNOWN_OPTION } from '../../../tools/test-utils/public-options.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const UNKNOWN = UNKNOWN_OPTION as never;
const example = { x: [1, 2], y: 0 };

const TAKES_OPTIONS: Record<string, () => unknown> = {
  initBackend: () => api.initBackend(UNKNOWN),
  assertNoLeak: () => api.assertNoLeak(() => undefined, UNKNOWN),
  collate: () => api.collate([example], UNKNOWN),
  inMemoryDataset: () => api.inMemoryDataset([example], { batchSize: 1, ...(UNKNOWN as object) }),
  streamingDataset: () => api.streamingDataset(() => [example], { batchSize: 1, ...(UNKNOWN as object) }),
  tensorDataset: () => api.tensorDataset({ x: tf.zeros([2, 1]), y: tf.zeros([2]) }, { batchSize: 1, ...(UNKNOWN as object) }),
  LanguageModelDataset: () => new api.LanguageModelDataset(new Int32Array(40).fill(4), { batchSize: 2, seqLen: 3, ...(UNKNOWN as object) }),
  checkOptions: () => api.checkOptions('f', UNKNOWN, { known: 'any' }),
};

const NO_OPTIONS: Record<string, string> = {
  registerGradients: 'no arguments',
  withEpochs: 'a size record and an epoch-to-batches function',
  GatedError: 'error class',
  ArgumentError: 'error class',
  BackendUnavailableError: 'error class',
  GradientsUnavailableError: 'error class',
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
  assertShape: 'positional arguments',
  assertInteger: 'positional arguments',
  assertNumberInRange: 'positional arguments',
  describeValue: 'a value',
  editDistance: 'two sequences',
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
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });
});

describe('LanguageModelDataset options', () => {
  it('refuses the other spelling seqLength and points to seqLen', () => {
    const call = () => new api.LanguageModelDataset(new Int32Array(40), { batchSize: 2, seqLength: 3 } as never);
    expect(call).toThrow(api.OptionsError);
    expect(call).toThrow('Did you mean "seqLen"?');
  });

  it('refuses token ids that are not an Int32Array with an ArgumentError', () => {
    expect(() => new api.LanguageModelDataset([1, 2, 3] as never, { batchSize: 1, seqLen: 1 })).toThrow(api.ArgumentError);
  });
});
