import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type OptionsError, inMemoryDataset, initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';
import { signExamples } from './test-utils/data.js';
import { TinyRnn } from './test-utils/tiny-rnn.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
let model: TinyRnn;
const data = () => inMemoryDataset(signExamples(4, 1), { batchSize: 2, yDtype: 'int32' });

const TAKES_OPTIONS: Record<string, () => unknown> = {
  fit: () => api.fit(model, data(), UNKNOWN as never),
  evaluate: () => api.evaluate(model, data(), UNKNOWN as never),
  SGD: () => new api.SGD(UNKNOWN as never),
  Adam: () => new api.Adam(UNKNOWN as never),
  AdamW: () => new api.AdamW(UNKNOWN as never),
  RMSprop: () => new api.RMSprop(UNKNOWN as never),
  createOptimizer: () => api.createOptimizer('sgd', UNKNOWN as never),
  stepSchedule: () => api.stepSchedule({ stepSize: 2, ...UNKNOWN }),
  exponentialSchedule: () => api.exponentialSchedule({ gamma: 0.5, ...UNKNOWN }),
  cosineSchedule: () => api.cosineSchedule({ totalSteps: 2, ...UNKNOWN }),
  createProgress: () => api.createProgress({ mode: 'none', ...UNKNOWN }),
  computeLoss: () => api.computeLoss('mse', tf.zeros([1, 1]), tf.zeros([1, 1]), undefined, UNKNOWN as never),
  'fit earlyStopping': () => api.fit(model, data(), { progress: 'none', earlyStopping: { patience: 1, ...UNKNOWN } }),
  'fit optimizerOptions': () => api.fit(model, data(), { progress: 'none', optimizer: 'sgd', optimizerOptions: UNKNOWN as never }),
};

const NO_OPTIONS: Record<string, string> = {
  Optimizer: 'abstract base class',
  constantSchedule: 'no arguments',
  globalNorm: 'a list of tensors',
  globalNormValue: 'a list of tensors',
  clipByGlobalNorm: 'positional arguments',
  clipByValue: 'positional arguments',
  clipCoefficient: 'positional arguments',
  isCI: 'an environment',
  defaultProgressMode: 'a stream and an environment',
  checkProgressMode: 'a caller name, the value and its key',
  loadCheckpoint: 'a path',
  checkpointPath: 'a folder',
  NonFiniteError: 'error class',
  ShapeMismatchError: 'error class',
  EmptyDatasetError: 'error class',
  CheckpointError: 'error class',
  LabelRangeError: 'error class',
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  model = new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false, seed: 1 });
});
afterAll(() => model.dispose());

describe('public entry points of @gated/trainer', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it('fit({ epoch }) suggests epochs, and an invalid enum value is refused', async () => {
    const typo = await caught(() => api.fit(model, data(), { epoch: 2 } as never));
    expect((typo as Error).message).toBe(
      `fit: unknown option "epoch". Valid options: ${Object.keys(FIT_KEYS).join(', ')}. Did you mean "epochs"?`,
    );
    const badEnum = await caught(() => api.fit(model, data(), { onNonFinite: 'ignore' } as never));
    expect((badEnum as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
    expect((badEnum as Error).message).toContain(`'error' | 'skip'`);
  });

  it("fit's progress takes the repo's one vocabulary: the former compare spellings are refused with the replacement", async () => {
    const error = await caught(() => api.fit(model, data(), { progress: 'quiet' } as never));
    expect((error as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
    expect((error as Error).message).toBe(`fit: option "progress" must be 'auto' | 'bar' | 'lines' | 'none', got 'quiet'. Did you mean 'none'?`);
    expect(api.PROGRESS_MODES).toEqual(['auto', 'bar', 'lines', 'none']);
  });

  it('wrong JS types for the model or the data are ArgumentErrors', async () => {
    for (const call of [
      () => api.fit(null as never, data()),
      () => api.fit(model, [1, 2] as never),
      () => api.fit(model, null as never),
      () => api.evaluate({} as never, data()),
      () => api.computeLoss('mse', [[1]] as never, tf.zeros([1, 1])),
      () => api.computeLoss('hinge' as never, tf.zeros([1, 1]), tf.zeros([1, 1])),
    ]) {
      expect(await caught(call)).toBeInstanceOf(ArgumentError);
    }
  });
});

// The documented option names, in FitOptions order (kept in step with option-specs.ts by the test above).
const FIT_KEYS = {
  epochs: 1, steps: 1, validationData: 1, loss: 1, optimizer: 1, optimizerOptions: 1, learningRate: 1, schedule: 1, clipNorm: 1,
  clipValue: 1, tbptt: 1, stateful: 1, earlyStopping: 1, callbacks: 1, metrics: 1, seed: 1, checkpointDir: 1, checkpointEvery: 1,
  resume: 1, onNonFinite: 1, progress: 1, progressStream: 1, logFile: 1,
};
