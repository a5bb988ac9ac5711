/**
 * Reads @gated/cells layers and models into the exporter's plain specs. The runtime checks are structural (the
 * cells contract, docs/CONTRACTS.md): config keys are read by name and unknown ones refused.
 */
import { type GRU, LAYER_OPTION_KEYS, type LSTM, RECURRENT_KINDS, SEQUENCE_MODEL_OPTION_KEYS, type SequenceModel, type SimpleRNN } from '@gated/cells';
import type * as tf from '@tensorflow/tfjs-core';
import type { SequenceModelSpec } from './build-model.js';
import { OnnxUnsupportedError } from './errors.js';
import type { RecurrentKind, RecurrentSpec, WeightData } from './recurrent-spec.js';

/** A recurrent layer of @gated/cells that exportOnnx takes. */
export type ExportableLayer = LSTM | GRU | SimpleRNN;

/** A whole model of @gated/cells that exportOnnx takes. */
export type ExportableModel = SequenceModel;

/** What is read from a layer (the cells contract). */
interface LayerLike {
  readonly kind: RecurrentKind;
  readonly config: object;
  torchStateDict(): Record<string, tf.Tensor>;
}

/** What is read from a model (the cells contract). */
interface ModelLike {
  readonly config: object;
  readonly rnn: LayerLike;
  parameters(): Record<string, tf.Variable | tf.Tensor>;
}

/**
 * The keys a layer's or model's `config` may hold: @gated/cells' own lists, so an option cells adds is refused by
 * name here until the exporter learns it. Options that only act in training (dropout, recurrentDropout, seed) or
 * choose an implementation are read and dropped; the rest map to ONNX.
 */
const KNOWN_LAYER_OPTIONS: ReadonlySet<string> = new Set(LAYER_OPTION_KEYS);
const KNOWN_MODEL_OPTIONS: ReadonlySet<string> = new Set(SEQUENCE_MODEL_OPTION_KEYS);

export function isModelLike(x: unknown): x is ModelLike {
  return typeof x === 'object' && x !== null && 'rnn' in x && 'config' in x && typeof (x as ModelLike).parameters === 'function';
}

export function isLayerLike(x: unknown): x is LayerLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    'kind' in x &&
    'config' in x &&
    typeof (x as LayerLike).torchStateDict === 'function'
  );
}

export function describeValue(x: unknown): string {
  if (x === null || typeof x !== 'object') return String(x);
  return (x as object).constructor?.name ?? 'an object';
}

/** Copies a tensor's values out; disposes it when `dispose` (torchStateDict hands out copies). */
function toWeight(t: tf.Tensor, dispose: boolean): WeightData {
  const w = { shape: [...t.shape], data: Float32Array.from(t.dataSync()) };
  if (dispose) t.dispose();
  return w;
}

function num(config: Readonly<Record<string, unknown>>, key: string, dflt: number): number {
  const v = config[key];
  return typeof v === 'number' ? v : dflt;
}

function bool(config: Readonly<Record<string, unknown>>, key: string, dflt: boolean): boolean {
  const v = config[key];
  return typeof v === 'boolean' ? v : dflt;
}

export function layerSpec(layer: LayerLike): RecurrentSpec {
  const c = layer.config as Readonly<Record<string, unknown>>;
  if (!RECURRENT_KINDS.includes(layer.kind)) {
    throw new OnnxUnsupportedError(`layer kind "${String(layer.kind)}"`, 'exportOnnx handles lstm, gru and rnn layers');
  }
  for (const key of Object.keys(c)) {
    if (!KNOWN_LAYER_OPTIONS.has(key)) {
      throw new OnnxUnsupportedError(`layer option ${key}`, `the exporter does not know how to express ${key} = ${JSON.stringify(c[key])} in ONNX`);
    }
  }
  const nonlinearity = c['nonlinearity'] ?? 'tanh';
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new OnnxUnsupportedError(`nonlinearity ${JSON.stringify(nonlinearity)}`, "ONNX RNN is exported with 'tanh' or 'relu'");
  }
  const state = layer.torchStateDict();
  const weights: Record<string, WeightData> = {};
  for (const [k, t] of Object.entries(state)) weights[k] = toWeight(t, true);
  return {
    kind: layer.kind,
    inputSize: num(c, 'inputSize', 0),
    hiddenSize: num(c, 'hiddenSize', 0),
    numLayers: num(c, 'numLayers', 1),
    bidirectional: bool(c, 'bidirectional', false),
    batchFirst: bool(c, 'batchFirst', true),
    bias: bool(c, 'bias', true),
    projSize: num(c, 'projSize', 0),
    peepholes: bool(c, 'peepholes', false),
    resetAfter: bool(c, 'resetAfter', true),
    // Every cells GRU computes PyTorch's form; chung2014 weights are converted on loading (flipGruUpdateGate).
    updateGate: 'torch',
    nonlinearity,
    weights,
  };
}

export function modelSpec(model: ModelLike): SequenceModelSpec {
  const c = model.config as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(c)) {
    if (!KNOWN_MODEL_OPTIONS.has(key)) {
      throw new OnnxUnsupportedError(`SequenceModel option ${key}`, `the exporter does not know how to express ${key} = ${JSON.stringify(c[key])} in ONNX`);
    }
  }
  const pooling = c['pooling'];
  if (pooling !== 'last' && pooling !== 'mean' && pooling !== 'none') {
    throw new OnnxUnsupportedError(`pooling ${JSON.stringify(pooling)}`, "expected 'last', 'mean' or 'none'");
  }
  const params = model.parameters();
  for (const key of Object.keys(params)) {
    if (!/^(embedding\.weight|rnn\..+|head\.(weight|bias))$/.test(key)) {
      throw new OnnxUnsupportedError(`SequenceModel parameter ${key}`, 'only embedding, rnn and head parameters have an ONNX counterpart here');
    }
  }
  const get = (k: string): WeightData | undefined => (params[k] ? toWeight(params[k], false) : undefined);
  const weight = get('head.weight');
  if (!weight) throw new OnnxUnsupportedError('a SequenceModel without head.weight', 'the Linear head is required');
  const bias = get('head.bias');
  const embedding = get('embedding.weight');
  return {
    rnn: layerSpec(model.rnn),
    ...(embedding ? { embedding } : {}),
    head: { weight, ...(bias ? { bias } : {}) },
    pooling,
  };
}
