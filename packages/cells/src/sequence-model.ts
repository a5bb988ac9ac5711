import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, type RngState, assertInteger, assertObject, assertTensor, checkOptions, type OptionSpec } from '@gated/tensor';
import { Embedding } from './embedding.js';
import { GRU } from './layer/gru.js';
import { FORWARD_SPEC, LAYER_SPEC } from './layer/layer-options.js';
import { Linear, loadInto } from './linear.js';
import { LSTM } from './layer/lstm.js';
import { SimpleRNN } from './layer/simple-rnn.js';
import { loadTorchStateDictFile, saveTorchStateDict } from './torch-file.js';
import type { Implementation } from './implementation.js';
import { RECURRENT_KINDS, type RecurrentKind } from './recurrent-vocabulary.js';
import type { ForwardOptions, SequenceState, TorchStateDictInput } from './types.js';

/** How a {@link SequenceModel} turns per-step outputs into what the head sees. */
export type Pooling = 'last' | 'mean' | 'none';

/** Options of {@link SequenceModel}. */
export interface SequenceModelOptions {
  readonly kind: RecurrentKind;
  /** Float features per step (omit when `vocabSize` is given; if given with it, it must equal embeddingDim). */
  readonly inputSize?: number;
  /** Token ids in, through an {@link Embedding} of this many rows (omit when `inputSize` is given). */
  readonly vocabSize?: number;
  /** Embedding width; default hiddenSize. */
  readonly embeddingDim?: number;
  readonly hiddenSize: number;
  readonly numLayers?: number;
  readonly bidirectional?: boolean;
  readonly dropout?: number;
  readonly recurrentDropout?: number;
  /** LSTM only. */
  readonly projSize?: number;
  /** LSTM only. */
  readonly peepholes?: boolean;
  /** GRU only. */
  readonly resetAfter?: boolean;
  /** Width of the Linear head's output (classes, regression targets, vocabulary). */
  readonly outputSize: number;
  /** `last` (h at each sequence's last valid step), `mean` (over valid steps) or `none` (every step). */
  readonly pooling: Pooling;
  /** Seed of every initialisation and dropout mask; default 0. */
  readonly seed?: number;
  /** Implementation of the recurrent layer; default `auto`. */
  readonly implementation?: Implementation;
}

/**
 * {@link SequenceModelOptions} with defaults filled in. `vocabSize` / `embeddingDim` are present only for
 * token models, so `config.vocabSize !== undefined` tells which input a model takes; `inputSize` is always the
 * width of the features entering the recurrent layer (embeddingDim for token models).
 * `new SequenceModel(model.config)` rebuilds the same model.
 */
export interface ResolvedSequenceModelOptions {
  readonly kind: RecurrentKind;
  readonly inputSize: number;
  readonly vocabSize?: number;
  readonly embeddingDim?: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly projSize: number;
  readonly peepholes: boolean;
  readonly resetAfter: boolean;
  readonly outputSize: number;
  readonly pooling: Pooling;
  readonly seed: number;
  readonly implementation: Implementation;
}

const SEQUENCE_MODEL_SPEC = {
  kind: RECURRENT_KINDS,
  inputSize: 'integer',
  vocabSize: 'integer',
  embeddingDim: 'integer',
  hiddenSize: 'integer',
  numLayers: 'integer',
  bidirectional: 'boolean',
  dropout: 'number',
  recurrentDropout: 'number',
  projSize: 'integer',
  peepholes: 'boolean',
  resetAfter: 'boolean',
  outputSize: 'integer',
  pooling: ['last', 'mean', 'none'],
  seed: 'integer',
  implementation: LAYER_SPEC.implementation,
} as const satisfies OptionSpec;

/**
 * Every key of {@link SequenceModelOptions} (and so of a model's `config`), for packages that read a model's
 * configuration and must refuse keys they do not know.
 */
export const SEQUENCE_MODEL_OPTION_KEYS = Object.keys(SEQUENCE_MODEL_SPEC) as readonly (keyof SequenceModelOptions)[];

/** What {@link SequenceModel.forwardFeatures} returns. */
export interface SequenceModelFeatures {
  /** What the head reads: [B, dirs·H] (pooling last/mean) or [B, T, dirs·H] (pooling none). */
  readonly features: tf.Tensor;
  /** The recurrent layer's final state. */
  readonly state: SequenceState;
}

/** What {@link SequenceModel.forward} returns. */
export interface SequenceModelOutput {
  /** Logits [B, outputSize] (pooling last/mean) or [B, T, outputSize] (pooling none). */
  readonly output: tf.Tensor;
  /** The recurrent layer's final state, for carrying across chunks (truncated BPTT, streaming). */
  readonly state: SequenceState;
}

/**
 * A whole model: (Embedding →) LSTM/GRU/SimpleRNN → pooling → Linear head, batch-first. Parameters are named
 * like the equivalent PyTorch module with attributes `embedding`, `rnn`, `head`.
 *
 * @example
 * const model = new SequenceModel({ kind: 'gru', inputSize: 40, hiddenSize: 128, outputSize: 10, pooling: 'last' });
 * const { output } = model.forward(x, { lengths }); // x [B, T, 40] → logits [B, 10]
 */
export class SequenceModel {
  /** The options with defaults filled in; `new SequenceModel(model.config)` rebuilds the same model. */
  readonly config: ResolvedSequenceModelOptions;
  /** The token embedding, present when the model takes ids (`vocabSize`). */
  readonly embedding?: Embedding;
  /** The recurrent layer (batch-first). */
  readonly rnn: LSTM | GRU | SimpleRNN;
  /** The Linear head on the pooled features. */
  readonly head: Linear;

  constructor(options: SequenceModelOptions) {
    assertObject('new SequenceModel options', options, 'an options object { kind, hiddenSize, outputSize, pooling, … }');
    checkOptions('new SequenceModel', options, SEQUENCE_MODEL_SPEC);
    const o = options;
    if (!RECURRENT_KINDS.includes(o.kind)) throw new ArgumentError('kind', "'lstm', 'gru' or 'rnn'", String(o.kind));
    if (!['last', 'mean', 'none'].includes(o.pooling)) throw new ArgumentError('pooling', "'last', 'mean' or 'none'", String(o.pooling));
    if (o.inputSize === undefined && o.vocabSize === undefined) {
      throw new ArgumentError('inputSize/vocabSize', 'inputSize (float features) or vocabSize (token ids)', 'neither');
    }
    if (o.embeddingDim !== undefined && o.vocabSize === undefined) throw new ArgumentError('embeddingDim', 'only together with vocabSize', String(o.embeddingDim));
    if (o.vocabSize !== undefined && o.inputSize !== undefined && o.inputSize !== (o.embeddingDim ?? o.hiddenSize)) {
      // A resolved config carries inputSize = embeddingDim; anything else means two different inputs were asked for.
      throw new ArgumentError('inputSize', `omitted with vocabSize, or equal to embeddingDim (${o.embeddingDim ?? o.hiddenSize})`, String(o.inputSize));
    }
    assertInteger('outputSize', o.outputSize, 1);
    const seed = o.seed ?? 0;
    const rng = new Rng(seed);
    const vocab = o.vocabSize === undefined ? null : { vocabSize: o.vocabSize, embeddingDim: o.embeddingDim ?? o.hiddenSize };
    if (vocab) {
      this.embedding = new Embedding({ numEmbeddings: vocab.vocabSize, embeddingDim: vocab.embeddingDim, seed: rng.int(2 ** 31) });
    }
    const inputSize = vocab?.embeddingDim ?? o.inputSize;
    if (inputSize === undefined) throw new ArgumentError('inputSize/vocabSize', 'inputSize (float features) or vocabSize (token ids)', 'neither');
    const layerOptions = {
      inputSize,
      hiddenSize: o.hiddenSize,
      numLayers: o.numLayers ?? 1,
      bidirectional: o.bidirectional ?? false,
      batchFirst: true,
      dropout: o.dropout ?? 0,
      recurrentDropout: o.recurrentDropout ?? 0,
      seed: rng.int(2 ** 31),
      implementation: o.implementation ?? 'auto',
    };
    this.rnn =
      o.kind === 'lstm'
        ? new LSTM({ ...layerOptions, projSize: o.projSize ?? 0, peepholes: o.peepholes ?? false })
        : o.kind === 'gru'
          ? new GRU({ ...layerOptions, resetAfter: o.resetAfter ?? true, ...(o.projSize ? { projSize: o.projSize } : {}), ...(o.peepholes ? { peepholes: true } : {}) })
          : new SimpleRNN({ ...layerOptions, ...(o.projSize ? { projSize: o.projSize } : {}), ...(o.peepholes ? { peepholes: true } : {}), ...(o.resetAfter === false ? { resetAfter: false } : {}) });
    const r = this.rnn.config;
    this.head = new Linear({ inFeatures: this.rnn.directions * this.rnn.outputSize, outFeatures: o.outputSize, seed: rng.int(2 ** 31) });
    this.config = Object.freeze({
      kind: o.kind,
      inputSize: r.inputSize,
      ...(vocab ?? {}),
      hiddenSize: r.hiddenSize,
      numLayers: r.numLayers,
      bidirectional: r.bidirectional,
      dropout: r.dropout,
      recurrentDropout: r.recurrentDropout,
      projSize: r.projSize,
      peepholes: r.peepholes,
      resetAfter: r.resetAfter,
      outputSize: o.outputSize,
      pooling: o.pooling,
      seed,
      implementation: r.implementation,
    });
  }

  /**
   * x: float [B, T, inputSize], or int32 token ids [B, T] when the model has an embedding.
   * Returns logits and the final recurrent state.
   */
  forward(x: tf.Tensor, options: ForwardOptions = {}): SequenceModelOutput {
    checkOptions('SequenceModel.forward', options, FORWARD_SPEC);
    const { features, state } = this.forwardFeatures(x, options);
    const output = tf.tidy(() => this.head.forward(features));
    features.dispose();
    return { output, state };
  }

  /**
   * Everything {@link SequenceModel.forward} computes but the head: the pooled features the head reads
   * ([B, dirs·H], or [B, T, dirs·H] with pooling `none`) and the final state, so that
   * `forward(x).output` equals `head.forward(forwardFeatures(x).features)`. A trainer uses it to run the head and
   * the loss as one op ({@link linearCrossEntropy}).
   */
  forwardFeatures(x: tf.Tensor, options: ForwardOptions = {}): SequenceModelFeatures {
    checkOptions('SequenceModel.forwardFeatures', options, FORWARD_SPEC);
    assertTensor('x', x);
    if (this.embedding) {
      if (x.rank !== 2 || x.dtype !== 'int32') throw new ArgumentError('x', 'int32 token ids [B, T]', `${x.dtype} shape [${x.shape.join(', ')}]`);
    } else if (x.rank !== 3) {
      throw new ArgumentError('x', `float features [B, T, ${this.config.inputSize}]`, `shape [${x.shape.join(', ')}]`);
    }
    const lengths = options.lengths;
    const result = tf.tidy(() => {
      const input = (this.embedding ? this.embedding.forward(x) : x) as tf.Tensor3D;
      const { output, hidden, cell } = this.rnn.forward(input, options);
      const [batch, steps] = [input.shape[0], input.shape[1]];
      let features: tf.Tensor;
      if (this.config.pooling === 'none') {
        features = output;
      } else if (this.config.pooling === 'last') {
        // PyTorch's h_n of the top layer: the forward direction at the last valid step, the backward at step 0.
        const dirs = this.rnn.directions;
        const top = tf.slice(hidden, [(this.config.numLayers - 1) * dirs, 0, 0], [dirs, batch, hidden.shape[2]]);
        features = tf.reshape(tf.transpose(top, [1, 0, 2]), [batch, dirs * hidden.shape[2]]);
      } else {
        const sum = tf.sum(output, 1);
        const counts = lengths === undefined ? tf.fill([batch, 1], steps) : tf.reshape(tf.maximum(tf.cast(lengths instanceof tf.Tensor ? lengths : tf.tensor1d([...lengths], 'int32'), 'float32'), 1), [batch, 1]);
        features = tf.div(sum, counts);
      }
      return { features, hidden, ...(cell ? { cell } : {}) };
    });
    const state: SequenceState = result.cell ? { hidden: result.hidden, cell: result.cell } : { hidden: result.hidden };
    return { features: result.features, state };
  }

  /** Every weight under its PyTorch module path: `embedding.weight`, `rnn.weight_ih_l0`, …, `head.weight`, `head.bias`. */
  parameters(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    if (this.embedding) out['embedding.weight'] = this.embedding.weight;
    for (const [k, v] of Object.entries(this.rnn.parameters())) out[`rnn.${k}`] = v;
    for (const [k, v] of Object.entries(this.head.parameters())) out[`head.${k}`] = v;
    return out;
  }

  /** Number of scalar weights; equals PyTorch's count for the same module. */
  countParams(): number {
    return Object.values(this.parameters()).reduce((n, v) => n + v.size, 0);
  }

  /** The recurrent layer's dropout generator state (the only randomness in a forward), for exact resume. */
  getRngState(): RngState {
    return this.rnn.getRngState();
  }

  /** Restores the dropout generator from {@link SequenceModel.getRngState}. */
  setRngState(state: RngState): void {
    this.rnn.setRngState(state);
  }

  /** Copies of every weight under the names of {@link SequenceModel.parameters}; the caller disposes them. */
  torchStateDict(): Record<string, tf.Tensor> {
    return Object.fromEntries(Object.entries(this.parameters()).map(([k, v]) => [k, tf.clone(v)]));
  }

  /** Loads every weight (exact names and shapes, nothing extra); see {@link StateDictError}. */
  loadTorchStateDict(record: TorchStateDictInput): void {
    loadInto(this.parameters(), record);
  }

  /** Writes the weights to a PyTorch-named `.safetensors` file; see {@link saveTorchStateDict}. */
  saveTorchStateDict(path: string, metadata?: Record<string, string>): Promise<void> {
    return saveTorchStateDict(path, this, metadata);
  }

  /** Loads a PyTorch-named `.safetensors` file; see {@link loadTorchStateDictFile}. */
  loadTorchStateDictFile(path: string): Promise<void> {
    return loadTorchStateDictFile(path, this);
  }

  /** Frees every weight. */
  dispose(): void {
    this.embedding?.dispose();
    this.rnn.dispose();
    this.head.dispose();
  }
}
