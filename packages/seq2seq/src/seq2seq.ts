import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import { type RecurrentState, StateDictError, linearCrossEntropy } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';
import type { AttentionMemory } from './attention.js';
import { disposeMemory } from './attention-read.js';
import { Decoder, type DecoderKernels, type DecoderStepOutput } from './decoder.js';
import type { DecoderState } from './decoder-state.js';
import { disposeState } from './decoder-state.js';
import { Encoder } from './encoder.js';
import { checkOptionKeys } from './options.js';
import { type ResolvedSeq2SeqOptions, type Seq2SeqOptions, TARGET_SPECIALS, resolveSeq2SeqOptions } from './seq2seq-options.js';
import { type TokenRows, padRows } from './token-batch.js';

/** A batch of source/target pairs for teacher-forced training. Targets hold ids ≥ 3, without BOS and EOS. */
export interface Seq2SeqBatch {
  readonly source: TokenRows;
  readonly target: TokenRows;
}

/** A source batch after the encoder: the decoder's first state and the memory it attends to. The caller disposes it. */
export interface EncodedSource {
  /** Encoder outputs prepared for attention; null without attention. */
  readonly memory: AttentionMemory | null;
  /** The decoder state before the first step (encoder final states; h̃_0 = 0 with input feeding). */
  readonly state: DecoderState;
  /** Length of each source row. */
  readonly lengths: readonly number[];
  dispose(): void;
}

/**
 * An encoder–decoder with attention over @gated/cells: an LSTM or GRU encoder (any depth, optionally
 * bidirectional) run by the fused sequence kernels, and a step-wise decoder ({@link Decoder}) with additive
 * (Bahdanau) or multiplicative (Luong dot / general) attention, optional input feeding, or no attention.
 *
 * @example
 * const model = new Seq2Seq({ kind: 'lstm', sourceVocabSize: 30, targetVocabSize: 43, hiddenSize: 128 });
 * const loss = model.loss({ source: [[5, 6, 7]], target: [[9, 12]] });   // teacher forcing
 * const [best] = greedyDecode(model, [[5, 6, 7]]);                         // { tokens, attention, finished }
 */
export class Seq2Seq {
  readonly config: ResolvedSeq2SeqOptions;
  readonly encoder: Encoder;
  readonly decoder: Decoder;
  /** −∞ on PAD and BOS, 0 elsewhere: decoding never emits them. */
  private readonly forbidden: tf.Tensor1D;

  constructor(options: Seq2SeqOptions) {
    this.config = resolveSeq2SeqOptions(options);
    this.encoder = new Encoder(this.config);
    this.decoder = new Decoder(this.config);
    const f = new Float32Array(this.config.targetVocabSize);
    f[TARGET_SPECIALS.pad] = Number.NEGATIVE_INFINITY;
    f[TARGET_SPECIALS.bos] = Number.NEGATIVE_INFINITY;
    this.forbidden = tf.tensor1d(f);
  }

  /** Runs the encoder over `source` (ids 1..sourceVocabSize−1 per row; 0 is padding) and prepares the decoder. */
  encode(source: TokenRows): EncodedSource {
    const { ids, lengths } = padRows('source', source, 1, this.config.sourceVocabSize);
    try {
      return this.encodeIds(ids, lengths, false);
    } finally {
      ids.dispose();
    }
  }

  /** One decoder step from the previous tokens (BOS first). `state` and `memory` are not consumed. */
  decodeStep(tokens: readonly number[], state: DecoderState, memory: AttentionMemory | null): DecoderStepOutput {
    const ids = tf.tensor1d(tokens as number[], 'int32');
    try {
      return this.decoder.step(ids, state, memory, { kernels: this.decoderKernels() });
    } finally {
      ids.dispose();
    }
  }

  /** log p(y_t | y_<t, x) [B, V] from a step's logits, with PAD and BOS excluded (−∞) and renormalised. */
  logProbabilities(logits: tf.Tensor2D): tf.Tensor2D {
    return tidy(() => tf.logSoftmax(tf.add(logits, this.forbidden)) as tf.Tensor2D);
  }

  /**
   * Teacher-forced cross-entropy, averaged over every target token and the final EOS: the decoder reads
   * [BOS, y_1 … y_n] and predicts [y_1 … y_n, EOS]. Differentiable; the caller disposes the scalar.
   */
  loss(batch: Seq2SeqBatch, options: { readonly training?: boolean } = {}): tf.Scalar {
    checkOptionKeys('loss batch', batch, ['source', 'target']);
    checkOptionKeys('loss options', options, ['training']);
    const V = this.config.targetVocabSize;
    const src = padRows('source', batch.source, 1, this.config.sourceVocabSize);
    const tgt = padRows('target', batch.target, 3, V, 1);
    if (tgt.lengths.length !== src.lengths.length) {
      src.ids.dispose();
      tgt.ids.dispose();
      throw new ArgumentError('target', `${src.lengths.length} rows (one per source row)`, String(tgt.lengths.length));
    }
    const B = src.lengths.length;
    const T = tgt.ids.shape[1];
    const targetRows = tgt.ids.arraySync();
    tgt.ids.dispose();
    try {
      return tidy(() => {
        const encoded = this.encodeIds(src.ids, src.lengths, options.training ?? false);
        const kernels = this.decoderKernels();
        let state = encoded.state;
        const inputs = new Int32Array(T * B);
        const outputs = new Int32Array(T * B);
        const mask = new Float32Array(T * B);
        for (let b = 0; b < B; b++) {
          const n = tgt.lengths[b]!;
          for (let t = 0; t <= n; t++) {
            inputs[t * B + b] = t === 0 ? TARGET_SPECIALS.bos : targetRows[b]![t - 1]!;
            outputs[t * B + b] = t === n ? TARGET_SPECIALS.eos : targetRows[b]![t]!;
            mask[t * B + b] = 1;
          }
        }
        let logits: tf.Tensor2D;
        if (!this.config.inputFeeding && kernels !== 'step') {
          // The recurrence does not read the attention: all T steps in one fused call per layer, attention batched,
          // and the output layer with the softmax cross-entropy as one op (the logits are never formed).
          const features = this.decoder.sequenceFeatures(tf.tensor2d(inputs, [T, B], 'int32'), state, encoded.memory, { kernels });
          const { weight, bias } = this.decoder.out;
          // (the addon's fused kernel unless the caller chose the wasm kernels)
          return linearCrossEntropy(features, weight, bias, tf.tensor1d(outputs, 'int32'), { weights: tf.tensor1d(mask), kernels: kernels === 'wasm' ? 'tfjs' : 'auto' }).loss;
        } else {
          const steps: tf.Tensor2D[] = [];
          for (let t = 0; t < T; t++) {
            const step = this.decoder.step(tf.tensor1d(inputs.subarray(t * B, (t + 1) * B), 'int32'), state, encoded.memory, { kernels });
            steps.push(step.logits);
            state = step.state;
          }
          logits = tf.concat(steps, 0);
        }
        // L = −Σ_t Σ_b m_tb log softmax(z_tb)[y_tb] / Σ m
        const logp = tf.logSoftmax(logits);
        const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(outputs, 'int32'), V)), 1);
        const m = tf.tensor1d(mask);
        return tf.div(tf.neg(tf.sum(tf.mul(picked, m))), tf.sum(m)) as tf.Scalar;
      });
    } finally {
      src.ids.dispose();
    }
  }

  /** Every weight by name: `encoder.*` then `decoder.*` (see {@link Encoder.parameters}, {@link Decoder.parameters}). */
  parameters(): Record<string, tf.Variable> {
    const p: Record<string, tf.Variable> = {};
    for (const [k, v] of Object.entries(this.encoder.parameters())) p[`encoder.${k}`] = v;
    for (const [k, v] of Object.entries(this.decoder.parameters())) p[`decoder.${k}`] = v;
    return p;
  }

  /** Copies of every weight by name; the caller disposes them. */
  stateDict(): Record<string, tf.Tensor> {
    return Object.fromEntries(Object.entries(this.parameters()).map(([k, v]) => [k, tf.clone(v)]));
  }

  /**
   * Loads weights saved by {@link Seq2Seq.stateDict} (or a PyTorch module with the same names). Every name must be
   * present with its exact shape and no other may appear, else a {@link StateDictError} names the key; nothing is
   * changed then.
   */
  loadStateDict(record: Readonly<Record<string, tf.Tensor | { readonly shape: readonly number[]; readonly data: ArrayLike<number> }>>): void {
    const params = this.parameters();
    for (const [key, r] of Object.entries(record)) if (!(key in params)) throw new StateDictError('unexpected', key, null, [...r.shape]);
    const assignments = Object.entries(params).map(([key, v]) => {
      const r = record[key];
      if (!r) throw new StateDictError('missing', key, v.shape, null);
      if (r.shape.length !== v.shape.length || r.shape.some((d, i) => d !== v.shape[i])) throw new StateDictError('shape', key, v.shape, [...r.shape]);
      return { v, r };
    });
    // Every key checked: only now is anything changed.
    for (const { v, r } of assignments) {
      if (r instanceof tf.Tensor) v.assign(r);
      else tf.tidy(() => v.assign(tf.tensor(Float32Array.from(r.data), [...r.shape])));
    }
  }

  /** Number of scalar weights. */
  countParams(): number {
    return Object.values(this.parameters()).reduce((n, v) => n + v.size, 0);
  }

  /** Frees every weight. */
  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
    this.forbidden.dispose();
  }

  /**
   * What runs the decoder: the compiled kernels the encoder's layer just ran (its `auto` choice: native, else
   * wasm fused, else none on GPU backends or without SIMD), or tfjs steps when `decoderImplementation` is `step`.
   */
  private decoderKernels(): DecoderKernels {
    if (this.config.decoderImplementation === 'step') return 'step';
    const ran = this.encoder.rnn.lastImplementation;
    return ran === 'native' ? 'native' : ran === 'fused' ? 'wasm' : 'step';
  }

  private encodeIds(ids: tf.Tensor2D, lengths: readonly number[], training: boolean): EncodedSource {
    const H = this.config.hiddenSize;
    const { memory, state } = tidy(() => {
      const { outputs, finalStates } = this.encoder.forward(ids, lengths, training);
      const layers: readonly RecurrentState[] = finalStates;
      const feed = this.config.inputFeeding ? (tf.zeros([lengths.length, H]) as tf.Tensor2D) : null;
      const memory = this.decoder.attention ? this.decoder.attention.prepare(outputs, lengths) : null;
      return { memory, state: { layers, feed } };
    });
    return {
      memory,
      state,
      lengths,
      dispose() {
        if (memory) disposeMemory(memory);
        disposeState(state);
      },
    };
  }
}
