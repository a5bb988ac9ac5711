import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, GatedError, type OptionsError, initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const layer = { inputSize: 2, hiddenSize: 3 };
let x: tf.Tensor3D;
let lstm: api.LSTM;
let model: api.SequenceModel;

const TAKES_OPTIONS: Record<string, () => unknown> = {
  LSTMCell: () => new api.LSTMCell({ ...layer, ...UNKNOWN }),
  GRUCell: () => new api.GRUCell({ ...layer, ...UNKNOWN }),
  SimpleRNNCell: () => new api.SimpleRNNCell({ ...layer, ...UNKNOWN }),
  LSTM: () => new api.LSTM({ ...layer, ...UNKNOWN }),
  GRU: () => new api.GRU({ ...layer, ...UNKNOWN }),
  SimpleRNN: () => new api.SimpleRNN({ ...layer, ...UNKNOWN }),
  Linear: () => new api.Linear({ inFeatures: 2, outFeatures: 2, ...UNKNOWN }),
  Embedding: () => new api.Embedding({ numEmbeddings: 2, embeddingDim: 2, ...UNKNOWN }),
  SequenceModel: () => new api.SequenceModel({ kind: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 2, pooling: 'last', ...UNKNOWN }),
  gradientFlow: () => api.gradientFlow(lstm, x, UNKNOWN as never),
  fusedLstmSequence: () => api.fusedLstmSequence(x, {} as never, UNKNOWN as never),
  fusedGruSequence: () => api.fusedGruSequence(x, {} as never, UNKNOWN as never),
  fusedRnnSequence: () => api.fusedRnnSequence(x, {} as never, UNKNOWN as never),
  recordGates: () => api.recordGates(lstm, x, UNKNOWN as never),
  'LSTM stream': () => lstm.stream(UNKNOWN as never),
  'LSTM forward': () => lstm.forward(x, UNKNOWN as never),
  'SequenceModel forward': () => model.forward(x, UNKNOWN as never),
  'SequenceModel forwardFeatures': () => model.forwardFeatures(x, UNKNOWN as never),
  nativeAdamStep: () => api.nativeAdamStep([], { learningRate: 1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, step: 1, ...UNKNOWN }),
  nativeAttentionCombine: () => api.nativeAttentionCombine({ queries: x, projected: x, keys: x, combine: tf.zeros([1, 4]), ...UNKNOWN } as never),
  linearCrossEntropy: () => api.linearCrossEntropy(tf.zeros([1, 2]), tf.zeros([2, 2]), null, tf.tensor1d([0], 'int32'), UNKNOWN as never),
};

const NO_OPTIONS: Record<string, string> = {
  RecurrentLayer: 'abstract base class of LSTM, GRU, SimpleRNN (constructed through them)',
  StateDictError: 'error class',
  UnsupportedOptionError: 'error class',
  FusedUnavailableError: 'error class',
  saveTorchStateDict: 'path, module and a metadata record (any string keys)',
  loadTorchStateDictFile: 'path and module',
  flipGruUpdateGate: 'a state dict and hiddenSize',
  fusedAvailable: 'no arguments',
  loadFusedKernel: 'no arguments',
  disposeGateRecording: 'a recording',
  SequenceStream: 'made by layer.stream(options), checked there',
  NativeUnavailableError: 'error class',
  nativeAvailable: 'no arguments',
  nativeInfo: 'no arguments',
  nativeAdamAvailable: 'no arguments',
  nativeAttentionAvailable: 'no arguments',
  nativeAdamStepArrays: 'positional arguments (the arrays and the ten scalars)',
  wasmHeapViews: 'positional arguments',
  adamStepOnWasmHeap: 'positional arguments (the entries and an update callback)',
  setNativeIsa: 'an instruction set name',
  setNativeThreads: 'a thread count',
};

// Every export that is a value but not a function: what it holds (a new one fails the test below until listed).
const CONSTANTS: Record<string, string> = {
  LAYER_DEFAULTS: 'the default of every layer option',
  LAYER_OPTION_KEYS: 'the keys of RecurrentLayerOptions',
  SEQUENCE_MODEL_OPTION_KEYS: 'the keys of SequenceModelOptions',
  RECURRENT_KINDS: "'lstm', 'gru', 'rnn'",
  GATE_ORDER: "the gate blocks of each kind in PyTorch's row order",
  GATE_COUNT: 'the number of gate blocks of each kind',
  IMPLEMENTATIONS: 'the values of the implementation option',
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  x = tf.zeros([1, 2, 2]);
  lstm = new api.LSTM(layer);
  model = new api.SequenceModel({ kind: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 2, pooling: 'last' });
});

afterAll(() => {
  x.dispose();
  lstm.dispose();
  model.dispose();
});

describe('public entry points of @gated/cells', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it('list every constant they export', () => {
    const constants = Object.entries(api)
      .filter(([, v]) => typeof v !== 'function')
      .map(([k]) => k)
      .sort();
    expect(Object.keys(CONSTANTS).sort()).toEqual(constants);
  });

  it('suggests the option a user misspelled in the PyTorch style', async () => {
    const error = await caught(() => new api.SequenceModel({ kind: 'lstm', inputSize: 2, hidden_size: 3, outputSize: 2, pooling: 'last' } as never));
    expect((error as Error).message).toContain('Did you mean "hiddenSize"?');
  });

  it('rejects an invalid enum value with the valid ones listed', async () => {
    const error = await caught(() => new api.SequenceModel({ kind: 'lstm', inputSize: 2, hiddenSize: 3, outputSize: 2, pooling: 'max' as never }));
    expect((error as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
    expect((error as Error).message).toContain(`'last' | 'mean' | 'none'`);
  });
});

describe('wrong JS types get an ArgumentError, never a TypeError from inside', () => {
  const wrong: Record<string, () => unknown> = {
    'loadTorchStateDict(null)': () => lstm.loadTorchStateDict(null as never),
    'loadTorchStateDict({ key: null })': () => lstm.loadTorchStateDict({ weight_ih_l0: null } as never),
    'loadTorchStateDict({ key: { shape: "x" } })': () => lstm.loadTorchStateDict({ weight_ih_l0: { shape: 'x', data: [] } } as never),
    'SequenceModel#loadTorchStateDict(undefined)': () => model.loadTorchStateDict(undefined as never),
    'LSTM#forward(plain array)': () => lstm.forward([[[1, 2]]] as never),
    'SequenceModel#forward(plain array)': () => model.forward([[[1, 2]]] as never),
    'LSTMCell#step(plain array)': () => new api.LSTMCell(layer).step([[1, 2]] as never),
    'Linear#forward(null)': () => new api.Linear({ inFeatures: 2, outFeatures: 2 }).forward(null as never),
    'Embedding#forward(plain array)': () => new api.Embedding({ numEmbeddings: 2, embeddingDim: 2 }).forward([[1]] as never),
    'new LSTM(null)': () => new api.LSTM(null as never),
    'new SequenceModel()': () => new (api.SequenceModel as unknown as new () => unknown)(),
    'new Linear()': () => new (api.Linear as unknown as new () => unknown)(),
    'new GRUCell(undefined)': () => new api.GRUCell(undefined as never),
    'fusedLstmSequence(x, null)': () => api.fusedLstmSequence(x, null as never),
    'fusedLstmSequence(array)': () => api.fusedLstmSequence([[[1]]] as never, {} as never),
    'saveTorchStateDict(path, null)': () => api.saveTorchStateDict('/tmp/never.safetensors', null as never),
    'loadTorchStateDictFile(null, lstm)': () => api.loadTorchStateDictFile(null as never, lstm),
    'flipGruUpdateGate(null)': () => api.flipGruUpdateGate(null as never, 3),
    'gradientFlow(lstm, array)': () => api.gradientFlow(lstm, [[[1, 2]]] as never),
  };
  it.each(Object.entries(wrong))('%s', async (_name, call) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(GatedError);
    expect(error).toBeInstanceOf(ArgumentError);
  });
});
