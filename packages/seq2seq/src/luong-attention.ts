import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '@gated/cells';
import { ArgumentError, assertInteger, assertShape } from '@gated/tensor';
import type { Attention, AttentionMemory, AttentionResult, AttentionSequenceResult } from './attention.js';
import { attentionRead, attentionReadSequence, checkKeys, prepareMemory } from './attention-read.js';

/** Options of {@link LuongAttention}. */
export interface LuongAttentionOptions {
  /** `dot`: e_s = qᵀ k_s (querySize must equal keySize); `general`: e_s = qᵀ W_a k_s. */
  readonly score: 'dot' | 'general';
  readonly querySize: number;
  readonly keySize: number;
  /** Seed of W_a's initialisation (general); default 0. */
  readonly seed?: number;
}

/**
 * Luong et al. (2015) multiplicative attention. `general` holds W_a as a bias-free PyTorch `nn.Linear(keySize,
 * querySize)` named `linear.weight` [Q, K], applied to the keys once per source batch; `dot` has no weights.
 *
 * @example
 * const att = new LuongAttention({ score: 'general', querySize: 64, keySize: 128 });
 * const { context, weights } = att.attend(h, att.prepare(encoderOutputs, lengths));
 */
export class LuongAttention implements Attention {
  readonly kind: 'dot' | 'general';
  readonly querySize: number;
  readonly keySize: number;
  /** W_a (general only). */
  readonly linear: Linear | null;

  constructor(options: LuongAttentionOptions) {
    assertInteger('querySize', options.querySize, 1);
    assertInteger('keySize', options.keySize, 1);
    if (options.score !== 'dot' && options.score !== 'general') throw new ArgumentError('score', "'dot' or 'general'", JSON.stringify(options.score));
    if (options.score === 'dot' && options.querySize !== options.keySize) {
      throw new ArgumentError('keySize', `equal to querySize ${options.querySize} for dot attention`, String(options.keySize));
    }
    this.kind = options.score;
    this.querySize = options.querySize;
    this.keySize = options.keySize;
    this.linear = options.score === 'general' ? new Linear({ inFeatures: options.keySize, outFeatures: options.querySize, bias: false, seed: options.seed ?? 0 }) : null;
  }

  prepare(keys: tf.Tensor3D, lengths?: readonly number[]): AttentionMemory {
    checkKeys(keys, this.keySize, lengths);
    return prepareMemory(keys, lengths, () => (this.linear ? (this.linear.forward(keys) as tf.Tensor3D) : tf.clone(keys)));
  }

  attend(query: tf.Tensor2D, memory: AttentionMemory): AttentionResult {
    assertShape('query', query.shape, [memory.keys.shape[0], this.querySize]);
    return attentionRead(memory, () => {
      const [B, S] = [memory.keys.shape[0], memory.keys.shape[1]];
      // e_s = qᵀ (W_a k_s), as [B, S, Q]·[B, Q, 1]
      return tf.reshape(tf.matMul(memory.projected, tf.reshape(query, [B, this.querySize, 1])), [B, S]) as tf.Tensor2D;
    });
  }

  attendSequence(queries: tf.Tensor3D, memory: AttentionMemory): AttentionSequenceResult {
    assertShape('queries', queries.shape, [memory.keys.shape[0], null, this.querySize]);
    return attentionReadSequence(memory, () => {
      // e_ts = q_tᵀ (W_a k_s) for every t: [B, S, Q]·[B, Q, T] → [B, S, T] (no transposed operand), then [B, T, S]
      return tf.transpose(tf.matMul(memory.projected, tf.transpose(queries, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D;
    });
  }

  parameters(): Record<string, tf.Variable> {
    return this.linear ? { 'linear.weight': this.linear.weight } : {};
  }

  dispose(): void {
    this.linear?.dispose();
  }
}
