import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import { Embedding, GRUCell, LSTMCell, Linear, type RecurrentState } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';
import { AdditiveAttention } from './additive-attention.js';
import type { Attention, AttentionMemory } from './attention.js';
import type { DecoderState } from './decoder-state.js';
import { LuongAttention } from './luong-attention.js';
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

  /** One step from the previous tokens `tokens` (int32 [B]) and state; `memory` is required with attention. */
  step(tokens: tf.Tensor1D, state: DecoderState, memory: AttentionMemory | null): DecoderStepOutput {
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
        const s = cell.step(x, previous);
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
