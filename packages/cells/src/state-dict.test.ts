import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateDictError } from './errors.js';
import { GRU } from './layer/gru.js';
import { LSTM } from './layer/lstm.js';
import { SequenceModel, type SequenceModelOptions } from './sequence-model.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import type { RecurrentKind } from './recurrent-vocabulary.js';
import type { RecurrentLayerOptions } from './types.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

interface Counts {
  layers: { kind: RecurrentKind; config: RecurrentLayerOptions; count: number; names: string[] }[];
  models: { config: Record<string, unknown>; count: number; names: string[] }[];
}
const counts = JSON.parse(readFileSync(fileURLToPath(new URL('./__fixtures__/param-counts.json', import.meta.url)), 'utf8')) as Counts;

const makeLayer = (kind: RecurrentKind, o: RecurrentLayerOptions) => (kind === 'lstm' ? new LSTM(o) : kind === 'gru' ? new GRU(o) : new SimpleRNN(o));

describe('parameter names and counts', () => {
  it.each(counts.layers.map((l) => [`${l.kind} ${JSON.stringify(l.config)}`, l] as const))(
    'a layer has PyTorch’s names (in order) and count: %s',
    (_n, l) => {
      const layer = makeLayer(l.kind, l.kind === 'lstm' ? l.config : { ...l.config, projSize: 0 });
      expect(Object.keys(layer.parameters())).toEqual(l.names);
      expect(layer.countParams()).toBe(l.count);
      layer.dispose();
    },
  );

  it.each(counts.models.map((m) => [JSON.stringify(m.config), m] as const))('a SequenceModel has PyTorch’s names and count: %s', (_n, m) => {
    const cfg = Object.fromEntries(Object.entries(m.config).filter(([, v]) => v !== null)) as unknown as SequenceModelOptions;
    const model = new SequenceModel(cfg);
    expect(Object.keys(model.parameters())).toEqual(m.names);
    expect(model.countParams()).toBe(m.count);
    model.dispose();
  });

  it('peepholes add three [H] vectors per layer and direction, named weight_ci/cf/co', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, peepholes: true, bidirectional: true });
    const p = lstm.parameters();
    expect(p['weight_ci_l0']!.shape).toEqual([4]);
    expect(p['weight_co_l0_reverse']!.shape).toEqual([4]);
    const plain = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true });
    expect(lstm.countParams() - plain.countParams()).toBe(2 * 3 * 4);
    lstm.dispose();
    plain.dispose();
  });
});

describe('loadTorchStateDict', () => {
  it('round-trips torchStateDict into another layer exactly', () => {
    const a = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, projSize: 2, seed: 1 });
    const b = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true, projSize: 2, seed: 2 });
    const sd = a.torchStateDict();
    b.loadTorchStateDict(sd);
    for (const [name, v] of Object.entries(b.parameters())) expect(Array.from(v.dataSync())).toEqual(Array.from(sd[name]!.dataSync()));
    tf.dispose(Object.values(sd));
    a.dispose();
    b.dispose();
  });

  it('rejects a missing key, naming it and the expected shape, and changes nothing', () => {
    const layer = new GRU({ inputSize: 3, hiddenSize: 4 });
    const before = Array.from(layer.parameters()['weight_ih_l0']!.dataSync());
    const sd = layer.torchStateDict();
    const { bias_hh_l0, ...rest } = sd;
    const err = catchError(() => layer.loadTorchStateDict(rest));
    expect(err).toBeInstanceOf(StateDictError);
    expect(err.code).toBe('GATED_STATE_DICT_MISSING_KEY');
    expect(err.details).toEqual({ problem: 'missing', key: 'bias_hh_l0', expected: [12], actual: null });
    expect(err.message).toContain('bias_hh_l0');
    expect(Array.from(layer.parameters()['weight_ih_l0']!.dataSync())).toEqual(before);
    tf.dispose(Object.values(sd));
    layer.dispose();
  });

  it('rejects an unexpected key', () => {
    const layer = new SimpleRNN({ inputSize: 3, hiddenSize: 4 });
    const sd = layer.torchStateDict();
    const extra = tf.zeros([4, 4]);
    const err = catchError(() => layer.loadTorchStateDict({ ...sd, weight_hh_l1: extra }));
    expect(err.code).toBe('GATED_STATE_DICT_UNEXPECTED_KEY');
    expect(err.details.key).toBe('weight_hh_l1');
    tf.dispose([...Object.values(sd), extra]);
    layer.dispose();
  });

  it('rejects a wrong shape with expected and actual shapes in the message', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4 });
    const sd = layer.torchStateDict();
    const wrong = tf.zeros([16, 4]);
    const err = catchError(() => layer.loadTorchStateDict({ ...sd, weight_ih_l0: wrong }));
    expect(err.code).toBe('GATED_STATE_DICT_SHAPE');
    expect(err.details).toEqual({ problem: 'shape', key: 'weight_ih_l0', expected: [16, 3], actual: [16, 4] });
    expect(err.message).toBe('state dict: key "weight_ih_l0" expected shape [16, 3], got shape [16, 4]');
    tf.dispose([...Object.values(sd), wrong]);
    layer.dispose();
  });

  it('accepts plain { shape, data } records such as a safetensors reader returns', () => {
    const layer = new SimpleRNN({ inputSize: 2, hiddenSize: 2, bias: false });
    layer.loadTorchStateDict({
      weight_ih_l0: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
      weight_hh_l0: { shape: [2, 2], data: [0, 0, 0, 0] },
    });
    expect(Array.from(layer.parameters()['weight_ih_l0']!.dataSync())).toEqual([1, 2, 3, 4]);
    layer.dispose();
  });
});

function catchError(fn: () => void): StateDictError {
  try {
    fn();
  } catch (e) {
    return e as StateDictError;
  }
  throw new Error('expected an error');
}
