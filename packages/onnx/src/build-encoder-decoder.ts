/**
 * An attention encoder–decoder (the @gated/seq2seq layout) as two ONNX models for incremental decoding: the
 * encoder, run once per source batch, and one decoder step with its state as inputs and outputs, run once per
 * generated token by the caller's loop.
 */
import { ArgumentError, checkOptions } from '@gated/tensor';
import { emitRecurrent } from './emit-recurrent.js';
import { OnnxUnsupportedError } from './errors.js';
import { IR_VERSION, MAX_OPSET, PRODUCER_NAME, PRODUCER_VERSION } from './export-options.js';
import { GraphBuilder } from './graph-builder.js';
import { DataType, encodeModel, floatTensor } from './onnx-proto.js';
import type { RecurrentSpec, WeightData } from './recurrent-spec.js';

/** An encoder–decoder as plain data: its options and its weights under @gated/seq2seq's parameter names. */
export interface EncoderDecoderSpec {
  readonly kind: 'lstm' | 'gru';
  readonly sourceVocabSize: number;
  readonly targetVocabSize: number;
  readonly embeddingDim: number;
  /** Decoder state size = encoder output size (hiddenSize / 2 per direction when bidirectional). */
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly attention: 'additive' | 'dot' | 'general' | 'none';
  readonly attentionSize: number;
  readonly inputFeeding: boolean;
  /** `encoder.embedding.weight`, `encoder.rnn.weight_ih_l0`, …, `decoder.out.bias`. */
  readonly weights: Readonly<Record<string, WeightData>>;
}

/** Options of {@link buildEncoderDecoderOnnx}. */
export interface EncoderDecoderOnnxOptions {
  /** ONNX opset, 14…17; default 14. */
  readonly opset?: number;
  /** Extra metadata_props of both models (keys must not start with "gated."). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** JSON-serialisable description stored under `gated.seq2seq` in both models (vocabularies, specials). */
  readonly description?: Readonly<Record<string, unknown>>;
}

/** The two serialised models. */
export interface EncoderDecoderOnnx {
  /**
   * Inputs `source` int32 [batch, source] (0 = padding), `lengths` int32 [batch]. Outputs `memory_keys` [batch,
   * source, H], `memory_projected` (keys through the attention's key-side weights), `mask` [batch, source] (1 on
   * valid positions), and the decoder's first state `hidden` (and `cell` for LSTM) [layers, batch, H], `feed`
   * [batch, H] with input feeding.
   */
  readonly encoder: Uint8Array;
  /**
   * Inputs `token` int32 [batch] (the previous token; BOS first), `hidden` (and `cell`, `feed`) as the encoder
   * or the previous step wrote them, and with attention `memory_keys`, `memory_projected`, `mask`. Outputs
   * `logits` [batch, targetVocab], `hidden_out` (and `cell_out`, `feed_out`), `attention` [batch, source].
   */
  readonly decoderStep: Uint8Array;
}

const BATCH = 'batch';
const SRC = 'source_length';

function w(spec: EncoderDecoderSpec, name: string, shape: readonly number[]): WeightData {
  const v = spec.weights[name];
  if (!v) throw new OnnxUnsupportedError(`weight ${name}`, `the encoder–decoder has no weight named ${name}`);
  if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
    throw new OnnxUnsupportedError(`weight ${name}`, `expected shape [${shape.join(', ')}], found [${v.shape.join(', ')}]`);
  }
  return v;
}

/** Wᵀ of a [rows, cols] weight, for x·Wᵀ as one MatMul. */
function transposed(g: GraphBuilder, name: string, v: WeightData): string {
  const [rows, cols] = v.shape as [number, number];
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = v.data[i * cols + j]!;
  return g.initializer(floatTensor(`${name}_T`, [cols, rows], t));
}

function rnnSpec(spec: EncoderDecoderSpec, prefix: string, inputSize: number, hiddenSize: number, bidirectional: boolean): RecurrentSpec {
  const weights: Record<string, WeightData> = {};
  for (const [k, v] of Object.entries(spec.weights)) if (k.startsWith(prefix)) weights[k.slice(prefix.length)] = v;
  return {
    kind: spec.kind,
    inputSize,
    hiddenSize,
    numLayers: spec.numLayers,
    bidirectional,
    batchFirst: false,
    bias: true,
    projSize: 0,
    peepholes: false,
    resetAfter: true,
    updateGate: 'torch',
    nonlinearity: 'tanh',
    weights,
  };
}

function check(spec: EncoderDecoderSpec, options: EncoderDecoderOnnxOptions): number {
  checkOptions('buildEncoderDecoderOnnx', options, { opset: 'integer', metadata: 'object', description: 'object' });
  const opset = options.opset ?? 14;
  if (!Number.isInteger(opset) || opset < 14 || opset > MAX_OPSET) throw new ArgumentError('options.opset', `an integer from 14 to ${MAX_OPSET}`, String(opset));
  if (spec.kind !== 'lstm' && spec.kind !== 'gru') throw new OnnxUnsupportedError(`kind ${String(spec.kind)}`, 'encoder–decoders are LSTM or GRU');
  if (spec.attention === 'none' && spec.inputFeeding) throw new OnnxUnsupportedError('input feeding without attention', 'there is no attentional vector to feed');
  return opset;
}

function finish(g: GraphBuilder, opset: number, doc: string, spec: EncoderDecoderSpec, options: EncoderDecoderOnnxOptions): Uint8Array {
  const metadata: Record<string, string> = {
    'gated.format': '1',
    'gated.config': JSON.stringify({
      encoderDecoder: {
        kind: spec.kind,
        sourceVocabSize: spec.sourceVocabSize,
        targetVocabSize: spec.targetVocabSize,
        embeddingDim: spec.embeddingDim,
        hiddenSize: spec.hiddenSize,
        numLayers: spec.numLayers,
        bidirectional: spec.bidirectional,
        attention: spec.attention,
        attentionSize: spec.attentionSize,
        inputFeeding: spec.inputFeeding,
      },
    }),
  };
  if (options.description) metadata['gated.seq2seq'] = JSON.stringify(options.description);
  for (const [k, v] of Object.entries(options.metadata ?? {})) {
    if (k.startsWith('gated.')) throw new ArgumentError(`options.metadata["${k}"]`, 'a key not starting with "gated."', k);
    metadata[k] = v;
  }
  return encodeModel(g.model({ irVersion: IR_VERSION, opset, producerName: PRODUCER_NAME, producerVersion: PRODUCER_VERSION, docString: doc, metadata }));
}

/** Builds the encoder and decoder-step models of an encoder–decoder. */
export function buildEncoderDecoderOnnx(spec: EncoderDecoderSpec, options: EncoderDecoderOnnxOptions = {}): EncoderDecoderOnnx {
  const opset = check(spec, options);
  return { encoder: buildEncoder(spec, opset, options), decoderStep: buildDecoderStep(spec, opset, options) };
}

function buildEncoder(spec: EncoderDecoderSpec, opset: number, options: EncoderDecoderOnnxOptions): Uint8Array {
  const H = spec.hiddenSize;
  const L = spec.numLayers;
  const D = spec.bidirectional ? 2 : 1;
  const Hd = H / D;
  const E = spec.embeddingDim;
  const g = new GraphBuilder('gated_seq2seq_encoder');
  g.reserve(['source', 'lengths', 'memory_keys', 'memory_projected', 'mask', 'hidden', 'cell', 'feed']);
  const source = g.input('source', DataType.INT32, [BATCH, SRC], 'grapheme ids, 0 = padding');
  const lengths = g.input('lengths', DataType.INT32, [BATCH], 'valid ids per row');
  const table = g.initializer(floatTensor('encoder.embedding.weight', [spec.sourceVocabSize, E], w(spec, 'encoder.embedding.weight', [spec.sourceVocabSize, E]).data));
  const embedded = g.op('Gather', [table, source], 'embedded', { axis: 0 });
  const x = g.op('Transpose', [embedded], 'embedded_tbf', { perm: [1, 0, 2] });
  const r = emitRecurrent(g, rnnSpec(spec, 'encoder.rnn.', E, Hd, spec.bidirectional), { x, lengths }, 'encoder.rnn.');
  const keys = g.op('Transpose', [r.sequence], 'keys', { perm: [1, 0, 2] });
  // Each layer's final state with both directions side by side: [L·D, B, Hd] → [L, B, D·Hd].
  const joinDirections = (state: string, hint: string): string => {
    const split = g.op('Reshape', [state, g.int64(`${hint}_split`, [L, D, -1, Hd])], `${hint}_ldbh`);
    const t = g.op('Transpose', [split], `${hint}_lbdh`, { perm: [0, 2, 1, 3] });
    return g.op('Reshape', [t, g.int64(`${hint}_join`, [0, 0, -1])], hint);
  };
  const hidden = joinDirections(r.hidden, 'hidden_joined');
  g.rename(hidden, 'hidden');
  if (r.cell) g.rename(joinDirections(r.cell, 'cell_joined'), 'cell');
  // mask[b, s] = s < lengths[b]
  const steps = g.op('Gather', [g.op('Shape', [source], 'source_shape'), g.int64('source_axis', [1], [])], 'steps', { axis: 0 });
  const positions = g.op('Range', [g.int64('zero', [0], []), steps, g.int64('one', [1], [])], 'positions');
  const lens = g.op('Unsqueeze', [g.op('Cast', [lengths], 'lengths_i64', { to: DataType.INT64 }), g.int64('column_axis', [1])], 'lengths_column');
  g.rename(g.op('Cast', [g.op('Less', [positions, lens], 'valid')], 'mask_float', { to: DataType.FLOAT }), 'mask');
  let projected: string;
  if (spec.attention === 'general') projected = g.op('MatMul', [keys, transposed(g, 'decoder.attention.linear.weight', w(spec, 'decoder.attention.linear.weight', [H, H]))], 'projected');
  else if (spec.attention === 'additive') {
    const A = spec.attentionSize;
    projected = g.op('MatMul', [keys, transposed(g, 'decoder.attention.key.weight', w(spec, 'decoder.attention.key.weight', [A, H]))], 'projected');
  } else projected = g.op('Identity', [keys], 'projected');
  g.rename(keys, 'memory_keys');
  g.rename(projected, 'memory_projected');
  g.output('memory_keys', DataType.FLOAT, [BATCH, SRC, H]);
  g.output('memory_projected', DataType.FLOAT, [BATCH, SRC, spec.attention === 'additive' ? spec.attentionSize : H]);
  g.output('mask', DataType.FLOAT, [BATCH, SRC]);
  g.output('hidden', DataType.FLOAT, [L, BATCH, H]);
  if (spec.kind === 'lstm') g.output('cell', DataType.FLOAT, [L, BATCH, H]);
  if (spec.inputFeeding) {
    // h̃_0 = 0, shaped [B, H] from the top layer's state.
    const top = g.op('Gather', ['hidden', g.int64('top_layer', [L - 1], [])], 'top_hidden', { axis: 0 });
    g.rename(g.op('Mul', [top, g.initializer(floatTensor('zero_f', [], [0]))], 'feed_zero'), 'feed');
    g.output('feed', DataType.FLOAT, [BATCH, H]);
  }
  const doc = `${spec.numLayers}-layer ${spec.bidirectional ? 'bidirectional ' : ''}${spec.kind.toUpperCase()} encoder of an encoder–decoder (${spec.attention} attention) exported by ${PRODUCER_NAME}`;
  return finish(g, opset, doc, spec, options);
}

function buildDecoderStep(spec: EncoderDecoderSpec, opset: number, options: EncoderDecoderOnnxOptions): Uint8Array {
  const H = spec.hiddenSize;
  const L = spec.numLayers;
  const E = spec.embeddingDim;
  const V = spec.targetVocabSize;
  const g = new GraphBuilder('gated_seq2seq_decoder_step');
  g.reserve(['token', 'hidden', 'cell', 'feed', 'memory_keys', 'memory_projected', 'mask', 'logits', 'hidden_out', 'cell_out', 'feed_out', 'attention']);
  const token = g.input('token', DataType.INT32, [BATCH], 'previous token (BOS = 1 first)');
  const hidden = g.input('hidden', DataType.FLOAT, [L, BATCH, H]);
  const cell = spec.kind === 'lstm' ? g.input('cell', DataType.FLOAT, [L, BATCH, H]) : undefined;
  const feed = spec.inputFeeding ? g.input('feed', DataType.FLOAT, [BATCH, H], 'previous attentional vector') : undefined;
  const attends = spec.attention !== 'none';
  const keys = attends ? g.input('memory_keys', DataType.FLOAT, [BATCH, SRC, H]) : '';
  const projected = attends ? g.input('memory_projected', DataType.FLOAT, [BATCH, SRC, spec.attention === 'additive' ? spec.attentionSize : H]) : '';
  const mask = attends ? g.input('mask', DataType.FLOAT, [BATCH, SRC]) : '';
  const table = g.initializer(floatTensor('decoder.embedding.weight', [V, E], w(spec, 'decoder.embedding.weight', [V, E]).data));
  let x = g.op('Gather', [table, token], 'embedded', { axis: 0 });
  if (feed) x = g.op('Concat', [x, feed], 'rnn_input', { axis: 1 });
  const x3 = g.op('Unsqueeze', [x, g.int64('time_axis', [0])], 'rnn_input_t');
  // The decoder's stack of cells for one step is a unidirectional L-layer recurrent node run over one step.
  const r = emitRecurrent(g, rnnSpec(spec, 'decoder.rnn.', E + (feed ? H : 0), H, false), { x: x3, initialHidden: hidden, initialCell: cell }, 'decoder.rnn.');
  const h = g.op('Squeeze', [r.sequence, g.int64('squeeze_time', [0])], 'h_top');
  g.rename(r.hidden, 'hidden_out');
  g.output('hidden_out', DataType.FLOAT, [L, BATCH, H]);
  if (r.cell) {
    g.rename(r.cell, 'cell_out');
    g.output('cell_out', DataType.FLOAT, [L, BATCH, H]);
  }
  let top = h;
  if (attends) {
    let scores: string;
    if (spec.attention === 'additive') {
      const A = spec.attentionSize;
      // e_s = vᵀ tanh(W_q q + W_k k_s)
      const q = g.op('MatMul', [h, transposed(g, 'decoder.attention.query.weight', w(spec, 'decoder.attention.query.weight', [A, H]))], 'query_projected');
      const sum = g.op('Add', [projected, g.op('Unsqueeze', [q, g.int64('source_axis', [1])], 'query_row')], 'score_sum');
      const e = g.op('MatMul', [g.op('Tanh', [sum], 'score_hidden'), transposed(g, 'decoder.attention.v.weight', w(spec, 'decoder.attention.v.weight', [1, A]))], 'scores_col');
      scores = g.op('Squeeze', [e, g.int64('score_axis', [2])], 'scores');
    } else {
      // e_s = qᵀ (W_a k_s)
      const e = g.op('MatMul', [projected, g.op('Unsqueeze', [h, g.int64('query_axis', [2])], 'query_col')], 'scores_col');
      scores = g.op('Squeeze', [e, g.int64('score_axis', [2])], 'scores');
    }
    // α = softmax(e + (1 − m)·(−10⁹))
    const penalty = g.op('Mul', [g.op('Sub', [g.initializer(floatTensor('one_f', [], [1])), mask], 'padding'), g.initializer(floatTensor('masked_score', [], [-1e9]))], 'penalty');
    const alpha = g.op('Softmax', [g.op('Add', [scores, penalty], 'masked_scores')], 'alpha', { axis: -1 });
    const context = g.op(
      'Squeeze',
      [g.op('MatMul', [g.op('Unsqueeze', [alpha, g.int64('alpha_axis', [1])], 'alpha_row'), keys], 'context_row'), g.int64('context_axis', [1])],
      'context',
    );
    // h̃ = tanh(W_c [c; h])
    const joined = g.op('Concat', [context, h], 'context_hidden', { axis: 1 });
    top = g.op('Tanh', [g.op('MatMul', [joined, transposed(g, 'decoder.combine.weight', w(spec, 'decoder.combine.weight', [H, 2 * H]))], 'combined')], 'attentional');
    g.rename(alpha, 'attention');
    g.output('attention', DataType.FLOAT, [BATCH, SRC]);
  }
  const logits = g.op(
    'Add',
    [g.op('MatMul', [top, transposed(g, 'decoder.out.weight', w(spec, 'decoder.out.weight', [V, H]))], 'out_matmul'), g.initializer(floatTensor('decoder.out.bias', [V], w(spec, 'decoder.out.bias', [V]).data))],
    'logits_value',
  );
  g.rename(logits, 'logits');
  g.output('logits', DataType.FLOAT, [BATCH, V]);
  if (feed) {
    g.rename(top, 'feed_out');
    g.output('feed_out', DataType.FLOAT, [BATCH, H]);
  }
  const doc = `one step of a ${spec.numLayers}-layer ${spec.kind.toUpperCase()} decoder (${spec.attention} attention${spec.inputFeeding ? ', input feeding' : ''}) exported by ${PRODUCER_NAME}`;
  return finish(g, opset, doc, spec, options);
}
