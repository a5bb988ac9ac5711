import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import { Embedding, GRUCell, LSTMCell, Linear, type RecurrentState, fusedGruSequence, fusedLstmSequence, nativeAttentionAvailable, nativeAttentionCombine } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';
import { AdditiveAttention } from './additive-attention.js';
import type { Attention, AttentionMemory } from './attention.js';
import { memoryLengths } from './attention-mask.js';
import type { DecoderState } from './decoder-state.js';
import { LuongAttention } from './luong-attention.js';
import { checkEnum, checkOptionKeys } from './options.js';
import type { ResolvedSeq2SeqOptions } from './seq2seq-options.js';

/** What one decoder step returns. */
export interface DecoderStepOutput {
  /** Scores of the next token [B, targetVocabSize] (before softmax). */
  readonly logits: tf.Tensor2D;
  readonly state: DecoderState;
  /** α_t [B, S]; null without attention. */
  readonly attention: tf.Tensor2D | null;
}

/**
 * What runs the decoder's cells: `'step'` tfjs ops per step (any backend), or @gated/cells' compiled fused
 * kernels (`'native'` addon or `'wasm'` SIMD) with the recurrent weights read once per call.
 */
export type DecoderKernels = 'step' | 'native' | 'wasm';

/** Options of {@link Decoder.step} and {@link Decoder.sequence}. */
export interface DecoderRunOptions {
  /** What runs the cells; default `'step'` (a {@link Seq2Seq} passes what its encoder ran). */
  readonly kernels?: DecoderKernels;
}

const KERNELS: readonly DecoderKernels[] = ['step', 'native', 'wasm'];

function kernelsOf(where: string, options: DecoderRunOptions): DecoderKernels {
  checkOptionKeys(where, options, ['kernels']);
  return checkEnum('kernels', options.kernels ?? 'step', KERNELS);
}

/**
 * The decoder of {@link Seq2Seq}, one token per step (Luong et al. 2015 layout):
 * x_t = [E y_{t−1}; h̃_{t−1}] (input feeding) or E y_{t−1}; h_t = cell stack(x_t, state);
 * (c_t, α_t) = attend(h_t, encoder outputs); h̃_t = tanh(W_c [c_t; h_t]); logits = W_o h̃_t + b_o.
 * Without attention: logits = W_o h_t + b_o.
 */
export class Decoder {
  readonly embedding: Embedding;
  readonly cells: readonly (LSTMCell | GRUCell)[];
  readonly attention: Attention | null;
  /** W_c [H, keySize + H], bias-free (null without attention). */
  readonly combine: Linear | null;
  /** W_o [V, H] and b_o [V]. */
  readonly out: Linear;
  private readonly o: ResolvedSeq2SeqOptions;

  constructor(o: ResolvedSeq2SeqOptions) {
    this.o = o;
    const H = o.hiddenSize;
    this.embedding = new Embedding({ numEmbeddings: o.targetVocabSize, embeddingDim: o.embeddingDim, seed: o.seed + 10 });
    const cells: (LSTMCell | GRUCell)[] = [];
    for (let k = 0; k < o.numLayers; k++) {
      const inputSize = k === 0 ? o.embeddingDim + (o.inputFeeding ? H : 0) : H;
      const options = { inputSize, hiddenSize: H, seed: o.seed + 20 + k };
      cells.push(o.kind === 'lstm' ? new LSTMCell(options) : new GRUCell(options));
    }
    this.cells = cells;
    const seed = o.seed + 40;
    this.attention =
      o.attention === 'none'
        ? null
        : o.attention === 'additive'
          ? new AdditiveAttention({ querySize: H, keySize: H, attentionSize: o.attentionSize, seed })
          : new LuongAttention({ score: o.attention, querySize: H, keySize: H, seed });
    this.combine = this.attention ? new Linear({ inFeatures: 2 * H, outFeatures: H, bias: false, seed: o.seed + 50 }) : null;
    this.out = new Linear({ inFeatures: H, outFeatures: o.targetVocabSize, seed: o.seed + 60 });
  }

  /**
   * One step from the previous tokens `tokens` (int32 [B]) and state; `memory` is required with attention. With
   * `kernels: 'native' | 'wasm'` each cell runs as a one-step fused sequence (the same numbers within 1e-5).
   */
  step(tokens: tf.Tensor1D, state: DecoderState, memory: AttentionMemory | null, options: DecoderRunOptions = {}): DecoderStepOutput {
    const kernels = kernelsOf('Decoder.step options', options);
    if (this.attention && !memory) throw new ArgumentError('memory', 'the encoder memory (this decoder attends)', 'null');
    return tidy(() => {
      let x = this.embedding.forward(tokens) as tf.Tensor2D;
      if (this.o.inputFeeding) {
        if (state.feed === null) throw new ArgumentError('state.feed', 'the previous attentional vector (this decoder feeds it back)', 'null');
        x = tf.concat([x, state.feed], 1);
      }
      const layers: RecurrentState[] = [];
      this.cells.forEach((cell, k) => {
        const previous = state.layers[k];
        if (previous === undefined) throw new ArgumentError(`state.layers[${k}]`, `a state per layer (${this.cells.length})`, `${state.layers.length} states`);
        const s = kernels === 'step' ? cell.step(x, previous) : this.cellSequence(k, tf.expandDims(x, 0) as tf.Tensor3D, previous, kernels).state;
        layers.push(s);
        x = s.h;
      });
      const h = x;
      // With attention, `memory` was checked above.
      if (!this.attention || !this.combine || memory === null) return { logits: this.out.forward(h) as tf.Tensor2D, state: { layers, feed: null }, attention: null };
      const { context, weights } = this.attention.attend(h, memory);
      // h̃_t = tanh(W_c [c_t; h_t])
      const attentional = tf.tanh(this.combine.forward(tf.concat([context, h], 1))) as tf.Tensor2D;
      return {
        logits: this.out.forward(attentional) as tf.Tensor2D,
        state: { layers, feed: this.o.inputFeeding ? attentional : null },
        attention: weights,
      };
    });
  }

  /**
   * Teacher-forced logits of every step at once, [T·B, V] with row t·B + b, from the decoder inputs `tokens`
   * (int32 [T, B], time-major: BOS then the target) and the first state. Only for a decoder without input feeding,
   * whose recurrence does not read the attention: each layer's cells run over all T steps in one fused call (or,
   * with `kernels: 'step'`, one tfjs step per token), then attention, h̃ and the output layer for all steps at once
   * with batched products. The same numbers as T calls of {@link Decoder.step} (within 1e-5).
   */
  sequence(tokens: tf.Tensor2D, state: DecoderState, memory: AttentionMemory | null, options: DecoderRunOptions = {}): tf.Tensor2D {
    return tidy(() => this.out.forward(this.sequenceFeatures(tokens, state, memory, options)) as tf.Tensor2D);
  }

  /**
   * What {@link Decoder.sequence} feeds its output layer, [T·B, H] with row t·B + b: h̃_t with attention, the top
   * layer's h_t without — for a loss that runs the output layer fused with the softmax cross-entropy.
   */
  sequenceFeatures(tokens: tf.Tensor2D, state: DecoderState, memory: AttentionMemory | null, options: DecoderRunOptions = {}): tf.Tensor2D {
    const kernels = kernelsOf('Decoder.sequence options', options);
    if (this.o.inputFeeding) throw new ArgumentError('inputFeeding', 'false for a whole-sequence pass (with input feeding each step reads the previous attention)', 'true');
    if (this.attention && !memory) throw new ArgumentError('memory', 'the encoder memory (this decoder attends)', 'null');
    const [T, B] = tokens.shape;
    const H = this.o.hiddenSize;
    return tidy(() => {
      let x = this.embedding.forward(tokens) as tf.Tensor3D;
      this.cells.forEach((cell, k) => {
        const previous = state.layers[k];
        if (previous === undefined) throw new ArgumentError(`state.layers[${k}]`, `a state per layer (${this.cells.length})`, `${state.layers.length} states`);
        if (kernels !== 'step') {
          x = this.cellSequence(k, x, previous, kernels).output;
          return;
        }
        const hs: tf.Tensor2D[] = [];
        let s = previous;
        for (const xt of tf.unstack(x) as tf.Tensor2D[]) {
          s = cell.step(xt, s);
          hs.push(s.h);
        }
        x = tf.stack(hs) as tf.Tensor3D;
      });
      // x holds h_t of the top layer for every step, [T, B, H]
      if (!this.attention || !this.combine || memory === null) return tf.reshape(x, [T * B, H]) as tf.Tensor2D;
      if (kernels === 'native' && this.attention instanceof LuongAttention && nativeAttentionAvailable()) {
        // scores, masked softmax, context and tanh(W_c [c; h]) for every step in one native op (and one for the gradient)
        const lengths = memoryLengths(memory);
        const combine = this.combine.weight as tf.Tensor2D;
        return nativeAttentionCombine({ queries: x, projected: memory.projected, keys: memory.keys, combine, ...(lengths ? { lengths } : {}) });
      }
      const queries = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
      const { context } = this.attention.attendSequence(queries, memory);
      // h̃_t = tanh(W_c [c_t; h_t]) for every t, [B, T, H]
      const attentional = tf.tanh(this.combine.forward(tf.concat([context, queries], 2)));
      return tf.reshape(tf.transpose(attentional, [1, 0, 2]), [T * B, H]) as tf.Tensor2D;
    });
  }

  /** Layer k's cell over `x` [T, B, in] (time-major) from `previous` in one fused call: every h_t and the final state. */
  private cellSequence(k: number, x: tf.Tensor3D, previous: RecurrentState, kernels: 'native' | 'wasm'): { output: tf.Tensor3D; state: RecurrentState } {
    const cell = this.cells[k];
    if (cell === undefined) throw new ArgumentError('layer', `0..${this.cells.length - 1}`, String(k));
    const p = cell.parameters();
    const weightIh = p['weight_ih'] as tf.Tensor2D | undefined;
    const weightHh = p['weight_hh'] as tf.Tensor2D | undefined;
    if (weightIh === undefined || weightHh === undefined) throw new ArgumentError(`decoder cell ${k}`, 'weight_ih and weight_hh', Object.keys(p).join(', '));
    const w = { weightIh, weightHh, ...(p['bias_ih'] && p['bias_hh'] ? { biasIh: p['bias_ih'] as tf.Tensor1D, biasHh: p['bias_hh'] as tf.Tensor1D } : {}) };
    if (this.o.kind === 'lstm') {
      const r = fusedLstmSequence(x, w, { batchFirst: false, h0: previous.h, ...(previous.c ? { c0: previous.c } : {}), kernels });
      return { output: r.output, state: { h: r.h, c: r.c } };
    }
    const r = fusedGruSequence(x, w, { batchFirst: false, h0: previous.h, kernels });
    return { output: r.output, state: { h: r.h } };
  }

  /** Weights by name: `embedding.weight`, `rnn.weight_ih_l0`, …, `attention.*`, `combine.weight`, `out.weight`, `out.bias`. */
  parameters(): Record<string, tf.Variable> {
    const p: Record<string, tf.Variable> = { 'embedding.weight': this.embedding.weight };
    this.cells.forEach((cell, k) => {
      for (const [name, v] of Object.entries(cell.parameters())) p[`rnn.${name}_l${k}`] = v;
    });
    if (this.attention) for (const [name, v] of Object.entries(this.attention.parameters())) p[`attention.${name}`] = v;
    if (this.combine) p['combine.weight'] = this.combine.weight;
    p['out.weight'] = this.out.weight;
    // The output layer is built with a bias; the guard only narrows Linear's `bias: Variable | null`.
    if (this.out.bias) p['out.bias'] = this.out.bias;
    return p;
  }

  dispose(): void {
    this.embedding.dispose();
    for (const c of this.cells) c.dispose();
    this.attention?.dispose();
    this.combine?.dispose();
    this.out.dispose();
  }
}
