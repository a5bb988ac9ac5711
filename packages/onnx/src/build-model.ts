/**
 * Whole ONNX models around the recurrent stack: a bare layer with PyTorch's input/output conventions, or a
 * SequenceModel (Embedding → recurrent → pooling → Linear head).
 */
import { ArgumentError } from '@gated/tensor';
import { emitRecurrent } from './emit-recurrent.js';
import { OnnxUnsupportedError } from './errors.js';
import {
  EXPORT_DEFAULTS,
  type ExportOnnxOptions,
  IR_VERSION,
  MAX_OPSET,
  PRODUCER_NAME,
  PRODUCER_VERSION,
} from './export-options.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, type Dim, floatTensor, type ModelProto } from './onnx-proto.js';
import { dirs, outSize, type RecurrentSpec, type WeightData } from './recurrent-spec.js';

/** A SequenceModel as plain data (see @gated/cells SequenceModel). */
export interface SequenceModelSpec {
  readonly rnn: RecurrentSpec;
  /** Embedding weight [vocab, dim] when the model reads token ids. */
  readonly embedding?: WeightData | undefined;
  /** Linear head: weight [out, in], bias [out]. */
  readonly head: { readonly weight: WeightData; readonly bias?: WeightData | undefined };
  readonly pooling: 'last' | 'mean' | 'none';
}

const BATCH = 'batch';
const SEQ = 'sequence';

function resolve(options: ExportOnnxOptions): Required<Pick<ExportOnnxOptions, 'lengths' | 'initialState' | 'softmax' | 'opset'>> {
  const r = { ...EXPORT_DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(r.opset) || r.opset < 14 || r.opset > MAX_OPSET) {
    throw new ArgumentError('options.opset', `an integer from 14 to ${MAX_OPSET}`, String(r.opset));
  }
  return { lengths: r.lengths, initialState: r.initialState, softmax: r.softmax, opset: r.opset };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** metadata_props: the layer's configuration (for importOnnx), preprocessing, and the caller's entries. */
function metadata(kindJson: Record<string, unknown>, options: ExportOnnxOptions): Record<string, string> {
  const m: Record<string, string> = { 'gated.format': '1', 'gated.config': JSON.stringify(kindJson) };
  const p = options.preprocessing;
  if (p?.vocabulary) m['gated.vocabulary'] = JSON.stringify(p.vocabulary);
  if (p?.features) m['gated.features'] = JSON.stringify(p.features);
  if (p?.scaler) {
    if (p.scaler.mean.length !== p.scaler.std.length) {
      throw new ArgumentError(
        'options.preprocessing.scaler',
        'mean and std of equal length',
        `${p.scaler.mean.length} means, ${p.scaler.std.length} stds`,
      );
    }
    m['gated.scaler'] = JSON.stringify(p.scaler);
  }
  if (p?.task !== undefined) m['gated.task'] = p.task;
  for (const [k, v] of Object.entries(options.metadata ?? {})) {
    if (k.startsWith('gated.')) throw new ArgumentError(`options.metadata["${k}"]`, 'a key not starting with "gated."', k);
    m[k] = v;
  }
  return m;
}

function specConfig(spec: RecurrentSpec): Record<string, unknown> {
  return {
    kind: spec.kind,
    inputSize: spec.inputSize,
    hiddenSize: spec.hiddenSize,
    numLayers: spec.numLayers,
    bidirectional: spec.bidirectional,
    batchFirst: spec.batchFirst,
    bias: spec.bias,
    projSize: spec.projSize,
    peepholes: spec.peepholes,
    resetAfter: spec.resetAfter,
    updateGate: spec.updateGate,
    nonlinearity: spec.nonlinearity,
  };
}

interface StateIO {
  lengths?: string;
  initialHidden?: string;
  initialCell?: string;
}

function stateInputs(g: GraphBuilder, spec: RecurrentSpec, o: ReturnType<typeof resolve>): StateIO {
  const io: StateIO = {};
  if (o.lengths) io.lengths = g.input('lengths', DataType.INT32, [BATCH], 'valid steps per sequence');
  if (o.initialState) {
    const layersTimesDirs = spec.numLayers * dirs(spec);
    io.initialHidden = g.input('initial_hidden', DataType.FLOAT, [layersTimesDirs, BATCH, outSize(spec)], "h_0, PyTorch's layout");
    if (spec.kind === 'lstm') {
      io.initialCell = g.input('initial_cell', DataType.FLOAT, [layersTimesDirs, BATCH, spec.hiddenSize], 'c_0');
    }
  }
  return io;
}

function finish(g: GraphBuilder, opset: number, docString: string, meta: Record<string, string>): ModelProto {
  return g.model({
    irVersion: IR_VERSION,
    opset,
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    docString,
    metadata: meta,
  });
}

function describe(spec: RecurrentSpec): string {
  const extras = [
    spec.bidirectional ? 'bidirectional' : '',
    spec.projSize > 0 ? `projSize ${spec.projSize}` : '',
    spec.peepholes ? 'peepholes' : '',
    spec.kind === 'gru' ? (spec.resetAfter ? 'reset after' : 'reset before') : '',
  ].filter(Boolean);
  return `${spec.numLayers}-layer ${spec.kind.toUpperCase()} ${spec.inputSize}→${spec.hiddenSize}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/**
 * A bare recurrent layer. Inputs: `input` [batch, seq, features] (time-major when batchFirst is false), then
 * `lengths`, `initial_hidden`, `initial_cell` when asked for. Outputs: `output` [batch, seq, dirs·H'],
 * `hidden` [layers·dirs, batch, H'], `cell` (LSTM).
 */
export function buildLayerModel(spec: RecurrentSpec, options: ExportOnnxOptions = {}): ModelProto {
  const o = resolve(options);
  if (o.softmax) throw new OnnxUnsupportedError('option softmax on a bare recurrent layer', 'softmax applies to whole models');
  const g = new GraphBuilder(`gated_${spec.kind}`);
  g.reserve(['input', 'lengths', 'initial_hidden', 'initial_cell', 'output', 'hidden', 'cell']);
  const xShape: Dim[] = spec.batchFirst ? [BATCH, SEQ, spec.inputSize] : [SEQ, BATCH, spec.inputSize];
  const input = g.input('input', DataType.FLOAT, xShape);
  const io = stateInputs(g, spec, o);
  const x = spec.batchFirst ? g.op('Transpose', [input], 'input_tbf', { perm: [1, 0, 2] }) : input;
  const r = emitRecurrent(g, spec, { x, ...io });
  const D = dirs(spec) * outSize(spec);
  const out = spec.batchFirst ? g.op('Transpose', [r.sequence], 'output_btd', { perm: [1, 0, 2] }) : r.sequence;
  g.rename(out, 'output');
  g.rename(r.hidden, 'hidden');
  g.output('output', DataType.FLOAT, spec.batchFirst ? [BATCH, SEQ, D] : [SEQ, BATCH, D]);
  g.output('hidden', DataType.FLOAT, [spec.numLayers * dirs(spec), BATCH, outSize(spec)]);
  if (r.cell) {
    g.rename(r.cell, 'cell');
    g.output('cell', DataType.FLOAT, [spec.numLayers * dirs(spec), BATCH, spec.hiddenSize]);
  }
  const doc = options.docString ?? `${describe(spec)} exported by ${PRODUCER_NAME}`;
  return finish(g, o.opset, doc, metadata({ layer: specConfig(spec) }, options));
}

/**
 * A SequenceModel. Inputs: `input` — token ids [batch, seq] int32 with an embedding, else features
 * [batch, seq, inputSize] — then `lengths`/`initial_hidden`/`initial_cell` when asked for. Outputs: `output`
 * (logits [batch, out], or [batch, seq, out] with pooling 'none'), `hidden`, `cell` (LSTM), and
 * `probabilities` with the softmax option.
 */
export function buildSequenceModel(model: SequenceModelSpec, options: ExportOnnxOptions = {}): ModelProto {
  const o = resolve(options);
  const spec = model.rnn;
  if (!spec.batchFirst) {
    throw new OnnxUnsupportedError('a SequenceModel whose rnn has batchFirst: false', 'SequenceModel inputs are batch-first');
  }
  const g = new GraphBuilder(`gated_sequence_model_${spec.kind}`);
  g.reserve(['input', 'lengths', 'initial_hidden', 'initial_cell', 'output', 'hidden', 'cell', 'probabilities']);
  let features: string;
  if (model.embedding) {
    const ids = g.input('input', DataType.INT32, [BATCH, SEQ], 'token ids');
    const [vocab, dim] = model.embedding.shape;
    if (vocab === undefined || dim === undefined) {
      throw new OnnxUnsupportedError('embedding.weight', `expected a 2-D [vocab, dim] table, found shape [${model.embedding.shape.join(', ')}]`);
    }
    const table = g.initializer(floatTensor('embedding.weight', [vocab, dim], model.embedding.data));
    features = g.op('Gather', [table, ids], 'embedded', { axis: 0 });
  } else {
    features = g.input('input', DataType.FLOAT, [BATCH, SEQ, spec.inputSize]);
  }
  const io = stateInputs(g, spec, o);
  const x = g.op('Transpose', [features], 'input_tbf', { perm: [1, 0, 2] });
  const r = emitRecurrent(g, spec, { x, ...io }, 'rnn.');
  const D = dirs(spec) * outSize(spec);

  const [outF, inF] = model.head.weight.shape;
  // A head.weight without an out-features dim has no in-features dim either, so this also rejects it.
  if (outF === undefined || inF !== D) {
    throw new OnnxUnsupportedError('head.weight', `expected in-features ${D} (the rnn's output size), found ${inF}`);
  }
  let logits: string;
  if (model.pooling === 'none') {
    const seq = g.op('Transpose', [r.sequence], 'rnn_output', { perm: [1, 0, 2] });
    // Linear on [B, T, D]: x·Wᵀ + b with Wᵀ stored transposed once here.
    const wt = new Float32Array(D * outF);
    const w = model.head.weight.data;
    for (let i = 0; i < outF; i++) for (let j = 0; j < D; j++) wt[j * outF + i] = w[i * D + j]!;
    const mm = g.op('MatMul', [seq, g.initializer(floatTensor('head.weight_T', [D, outF], wt))], 'head_matmul');
    logits = model.head.bias
      ? g.op('Add', [mm, g.initializer(floatTensor('head.bias', [outF], model.head.bias.data))], 'logits')
      : mm;
  } else {
    let pooled: string;
    if (model.pooling === 'last') {
      // h_n of the last layer [dirs, B, H'] → [B, dirs·H']: forward's last valid step, backward's step 0.
      const t = g.op('Transpose', [r.lastHidden], 'last_bdh', { perm: [1, 0, 2] });
      pooled = g.op('Reshape', [t, g.int64('last_shape', [0, -1])], 'pooled');
    } else if (io.lengths) {
      // Steps past each length are zero in the node's output, so the sum over time covers valid steps only.
      const sum = g.op('ReduceSum', [r.sequence, g.int64('time_axis', [0])], 'sum_over_time', { keepdims: 0 });
      const lenF = g.op('Cast', [io.lengths], 'lengths_float', { to: DataType.FLOAT });
      // An empty sequence averages to 0 rather than 0/0, as SequenceModel does (it divides by max(length, 1)).
      const one = g.initializer(floatTensor('one', [1], [1]));
      const lenSafe = g.op('Max', [lenF, one], 'lengths_at_least_1');
      const lenCol = g.op('Unsqueeze', [lenSafe, g.int64('unsqueeze_axis', [1])], 'lengths_column');
      pooled = g.op('Div', [sum, lenCol], 'pooled');
    } else {
      pooled = g.op('ReduceMean', [r.sequence], 'pooled', { axes: [0], keepdims: 0 });
    }
    const gemmInputs = [pooled, g.initializer(floatTensor('head.weight', [outF, D], model.head.weight.data))];
    if (model.head.bias) gemmInputs.push(g.initializer(floatTensor('head.bias', [outF], model.head.bias.data)));
    logits = g.op('Gemm', gemmInputs, 'logits', { transB: 1 });
  }
  const outShape: Dim[] = model.pooling === 'none' ? [BATCH, SEQ, outF] : [BATCH, outF];
  g.rename(logits, 'output');
  g.output('output', DataType.FLOAT, outShape, 'logits');
  g.rename(r.hidden, 'hidden');
  g.output('hidden', DataType.FLOAT, [spec.numLayers * dirs(spec), BATCH, outSize(spec)]);
  if (r.cell) {
    g.rename(r.cell, 'cell');
    g.output('cell', DataType.FLOAT, [spec.numLayers * dirs(spec), BATCH, spec.hiddenSize]);
  }
  if (o.softmax) {
    g.node('Softmax', ['output'], ['probabilities'], { axis: -1 }, true);
    g.output('probabilities', DataType.FLOAT, outShape);
  }
  const doc =
    options.docString ??
    `SequenceModel (${model.embedding ? 'embedding → ' : ''}${describe(spec)} → ${model.pooling} pooling → linear ${outF}) exported by ${PRODUCER_NAME}`;
  const config = {
    model: {
      pooling: model.pooling,
      outputSize: outF,
      headBias: model.head.bias !== undefined,
      ...(model.embedding ? { vocabSize: model.embedding.shape[0], embeddingDim: model.embedding.shape[1] } : {}),
    },
    layer: specConfig(spec),
  };
  return finish(g, o.opset, doc, metadata(config, options));
}
