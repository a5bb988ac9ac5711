import { readFile } from './platform/node.js';
import { GATE_ORDER, GRU, LSTM, SequenceModel, SimpleRNN } from '@gated/cells';
import type { SequenceModelSpec } from './build-model.js';
import { OnnxFormatError, OnnxUnsupportedError } from './errors.js';
import type { Preprocessing } from './export-options.js';
import { readRecurrent } from './read-recurrent.js';
import type { RecurrentSpec, WeightData } from './recurrent-spec.js';
import { assertString, toBytes } from '@gated/tensor';

/** What importOnnx read. */
export interface ImportedOnnx {
  /** The stack of LSTM/GRU/RNN operators as one @gated/cells layer, weights under PyTorch's names. */
  readonly layer: LSTM | GRU | SimpleRNN;
  /**
   * The whole model, for files exported here from a SequenceModel; then `layer` is `model.rnn` (disposing the
   * model disposes it).
   */
  readonly model?: SequenceModel;
  /** Every metadata_props entry of the file. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The `gated.*` preprocessing entries (vocabulary, features, scaler, task), parsed. */
  readonly preprocessing: Preprocessing;
}

/**
 * The spec's weights in the form every cells layer computes. A GRU exported in the `chung2014` form
 * (h' = (1−z)⊙h + z⊙n) is read back in that form; a cells GRU computes PyTorch's (h' = (1−z)⊙n + z⊙h), the same
 * model with z' = 1 − z, i.e. the update gate's pre-activation negated: its rows of weight_ih/weight_hh/bias_ih/bias_hh.
 */
function torchFormWeights(spec: RecurrentSpec): Readonly<Record<string, WeightData>> {
  if (spec.kind !== 'gru' || spec.updateGate !== 'chung2014') return spec.weights;
  const H = spec.hiddenSize;
  const z = GATE_ORDER.gru.indexOf('z');
  const out: Record<string, WeightData> = {};
  for (const [name, w] of Object.entries(spec.weights)) {
    if (!/^(weight|bias)_(ih|hh)_l\d+(_reverse)?$/.test(name)) {
      out[name] = w;
      continue;
    }
    const data = Float32Array.from(w.data);
    const columns = w.shape.length === 2 ? (w.shape[1] ?? 1) : 1;
    for (let i = z * H * columns; i < (z + 1) * H * columns; i++) data[i] = -(data[i] ?? 0);
    out[name] = { shape: w.shape, data };
  }
  return out;
}

/** Builds the cells layer for a spec and loads its weights. */
export function layerFromSpec(spec: RecurrentSpec): LSTM | GRU | SimpleRNN {
  const common = {
    inputSize: spec.inputSize,
    hiddenSize: spec.hiddenSize,
    numLayers: spec.numLayers,
    bidirectional: spec.bidirectional,
    batchFirst: spec.batchFirst,
    bias: spec.bias,
  };
  const layer =
    spec.kind === 'lstm'
      ? new LSTM({ ...common, peepholes: spec.peepholes, projSize: spec.projSize })
      : spec.kind === 'gru'
        ? new GRU({ ...common, resetAfter: spec.resetAfter })
        : new SimpleRNN({ ...common, nonlinearity: spec.nonlinearity });
  try {
    layer.loadTorchStateDict(torchFormWeights(spec));
  } catch (e) {
    layer.dispose();
    throw e;
  }
  return layer;
}

/** Builds a cells SequenceModel for a spec and loads its weights. */
export function sequenceModelFromSpec(m: SequenceModelSpec): SequenceModel {
  const r = m.rnn;
  if (r.kind === 'rnn' && r.nonlinearity !== 'tanh') {
    throw new OnnxUnsupportedError('a SequenceModel with a relu SimpleRNN', 'SequenceModel builds tanh SimpleRNNs');
  }
  if (!m.head.bias) throw new OnnxUnsupportedError('a SequenceModel head without bias', "SequenceModel's Linear head has a bias");
  const [outputSize] = m.head.weight.shape;
  if (outputSize === undefined) throw new OnnxFormatError('head.weight', 'a [out, in] matrix', 'a scalar');
  let tokenInput: { vocabSize: number; embeddingDim: number } | undefined;
  if (m.embedding) {
    const [vocabSize, embeddingDim] = m.embedding.shape;
    if (vocabSize === undefined || embeddingDim === undefined) {
      throw new OnnxFormatError('embedding.weight', 'a [vocab, dim] table', `shape [${m.embedding.shape.join(', ')}]`);
    }
    tokenInput = { vocabSize, embeddingDim };
  }
  const model = new SequenceModel({
    kind: r.kind,
    ...(tokenInput ?? { inputSize: r.inputSize }),
    hiddenSize: r.hiddenSize,
    numLayers: r.numLayers,
    bidirectional: r.bidirectional,
    ...(r.kind === 'lstm' ? { projSize: r.projSize, peepholes: r.peepholes } : {}),
    ...(r.kind === 'gru' ? { resetAfter: r.resetAfter } : {}),
    outputSize,
    pooling: m.pooling,
  });
  const record: Record<string, { shape: readonly number[]; data: Float32Array }> = {
    'head.weight': m.head.weight,
    'head.bias': m.head.bias,
  };
  if (m.embedding) record['embedding.weight'] = m.embedding;
  for (const [k, v] of Object.entries(torchFormWeights(r))) record[`rnn.${k}`] = v;
  try {
    model.loadTorchStateDict(record);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Reads an ONNX model made of the standard LSTM, GRU or RNN operators — exported by this package or by
 * `torch.onnx.export` — back into an @gated/cells layer (stacked operators become `numLayers`, `direction:
 * bidirectional` becomes `bidirectional`, `linear_before_reset` becomes `resetAfter`, `P` becomes peepholes).
 * A SequenceModel exported here comes back whole as `model` (embedding, recurrent layer, pooling, head).
 *
 * @throws OnnxFormatError (GATED_ONNX_CORRUPT) when the bytes are not a well-formed model;
 *   OnnxUnsupportedError (GATED_ONNX_UNSUPPORTED) naming an operator attribute with no cells counterpart
 *   (clip, input_forget, non-default activations, direction reverse, a projection without its MatMul).
 * @example
 * const { layer } = importOnnx(readFileSync('lstm.onnx'));
 * const { output } = layer.forward(x);
 */
export function importOnnx(input: Uint8Array | ArrayBuffer): ImportedOnnx {
  const read = readRecurrent(toBytes('importOnnx bytes', input));
  const info = { metadata: read.metadata, preprocessing: read.preprocessing };
  if (read.model) {
    const model = sequenceModelFromSpec(read.model);
    return { layer: model.rnn, model, ...info };
  }
  return { layer: layerFromSpec(read.spec), ...info };
}

/** importOnnx over a file. */
export async function importOnnxFile(path: string): Promise<ImportedOnnx> {
  assertString('importOnnxFile path', path);
  return importOnnx(new Uint8Array(await readFile(path)));
}
