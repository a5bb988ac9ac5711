import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '@gated/cells';
import { assertInteger, assertShape } from '@gated/tensor';
import type { Attention, AttentionMemory, AttentionResult, AttentionSequenceResult } from './attention.js';
import { attentionRead, attentionReadSequence, checkKeys, prepareMemory } from './attention-read.js';

/** Options of {@link AdditiveAttention}. */
export interface AdditiveAttentionOptions {
  readonly querySize: number;
  readonly keySize: number;
  /** Width of the hidden layer inside the score (rows of W_q, W_k and of v); default querySize. */
  readonly attentionSize?: number;
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/**
 * Bahdanau et al. (2015) additive attention, e_s = vᵀ tanh(W_q q + W_k k_s), α = softmax(e), c = Σ α_s k_s.
 * Weights as three bias-free PyTorch `nn.Linear`s: `query.weight` [A, Q], `key.weight` [A, K], `v.weight` [1, A].
 *
 * @example
 * const att = new AdditiveAttention({ querySize: 64, keySize: 128 });
 * const memory = att.prepare(encoderOutputs, lengths);       // once per source batch
 * const { context, weights } = att.attend(decoderHidden, memory);
 */
export class AdditiveAttention implements Attention {
  readonly kind = 'additive' as const;
  readonly querySize: number;
  readonly keySize: number;
  readonly attentionSize: number;
  readonly query: Linear;
  readonly key: Linear;
  readonly v: Linear;

  constructor(options: AdditiveAttentionOptions) {
    assertInteger('querySize', options.querySize, 1);
    assertInteger('keySize', options.keySize, 1);
    this.querySize = options.querySize;
    this.keySize = options.keySize;
    this.attentionSize = options.attentionSize ?? options.querySize;
    assertInteger('attentionSize', this.attentionSize, 1);
    const seed = options.seed ?? 0;
    this.query = new Linear({ inFeatures: this.querySize, outFeatures: this.attentionSize, bias: false, seed });
    this.key = new Linear({ inFeatures: this.keySize, outFeatures: this.attentionSize, bias: false, seed: seed + 1 });
    this.v = new Linear({ inFeatures: this.attentionSize, outFeatures: 1, bias: false, seed: seed + 2 });
  }

  prepare(keys: tf.Tensor3D, lengths?: readonly number[]): AttentionMemory {
    checkKeys(keys, this.keySize, lengths);
    return prepareMemory(keys, lengths, () => this.key.forward(keys) as tf.Tensor3D);
  }

  attend(query: tf.Tensor2D, memory: AttentionMemory): AttentionResult {
    assertShape('query', query.shape, [memory.keys.shape[0], this.querySize]);
    return attentionRead(memory, () => {
      const [B, S] = [memory.keys.shape[0], memory.keys.shape[1]];
      // e_s = vᵀ tanh(W_q q + W_k k_s)
      const q = tf.reshape(this.query.forward(query), [B, 1, this.attentionSize]);
      const hidden = tf.tanh(tf.add(memory.projected, q));
      return tf.reshape(this.v.forward(hidden), [B, S]) as tf.Tensor2D;
    });
  }

  attendSequence(queries: tf.Tensor3D, memory: AttentionMemory): AttentionSequenceResult {
    assertShape('queries', queries.shape, [memory.keys.shape[0], null, this.querySize]);
    return attentionReadSequence(memory, () => {
      const [B, S] = [memory.keys.shape[0], memory.keys.shape[1]];
      const T = queries.shape[1];
      // e_ts = vᵀ tanh(W_q q_t + W_k k_s) for every t, as [B, T, 1, A] + [B, 1, S, A]
      const q = tf.reshape(this.query.forward(queries), [B, T, 1, this.attentionSize]);
      const hidden = tf.tanh(tf.add(tf.reshape(memory.projected, [B, 1, S, this.attentionSize]), q));
      return tf.reshape(this.v.forward(hidden), [B, T, S]) as tf.Tensor3D;
    });
  }

  parameters(): Record<string, tf.Variable> {
    return { 'query.weight': this.query.weight, 'key.weight': this.key.weight, 'v.weight': this.v.weight };
  }

  dispose(): void {
    this.query.dispose();
    this.key.dispose();
    this.v.dispose();
  }
}
