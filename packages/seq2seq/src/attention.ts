import type * as tf from '@tensorflow/tfjs-core';

/**
 * The score function of an attention module:
 * - `additive` (Bahdanau et al. 2015): e_s = vᵀ tanh(W_q q + W_k k_s)
 * - `dot` (Luong et al. 2015): e_s = qᵀ k_s (query and key sizes equal)
 * - `general` (Luong et al. 2015): e_s = qᵀ W_a k_s
 */
export type AttentionKind = 'additive' | 'dot' | 'general';

/** The encoder outputs an attention module reads, with whatever it precomputes once per source batch. */
export interface AttentionMemory {
  /** Encoder outputs [B, S, keySize]. */
  readonly keys: tf.Tensor3D;
  /** Keys through the module's key-side weights (W_k k for additive, W_a k for general; keys for dot). */
  readonly projected: tf.Tensor3D;
  /** [B, S] 1 on valid source positions, 0 on padding; null when nothing is padded. */
  readonly mask: tf.Tensor2D | null;
}

/** What one attention read returns. */
export interface AttentionResult {
  /** c = Σ_s α_s k_s [B, keySize]. */
  readonly context: tf.Tensor2D;
  /** α [B, S], softmax of the scores over valid positions (exactly 0 on padding). */
  readonly weights: tf.Tensor2D;
}

/** What an attention read of T queries per row returns (teacher-forced training). */
export interface AttentionSequenceResult {
  /** c_t [B, T, keySize]. */
  readonly context: tf.Tensor3D;
  /** α_t [B, T, S] (exactly 0 on padding). */
  readonly weights: tf.Tensor3D;
}

/** An attention module: prepare the memory once per source batch, then attend once per decoder step. */
export interface Attention {
  readonly kind: AttentionKind;
  readonly querySize: number;
  readonly keySize: number;
  /** Precomputes the key side for `keys` [B, S, keySize]; `lengths` (one per row) masks padding. */
  prepare(keys: tf.Tensor3D, lengths?: readonly number[]): AttentionMemory;
  /** Scores `query` [B, querySize] against the memory and returns the context and the weights. */
  attend(query: tf.Tensor2D, memory: AttentionMemory): AttentionResult;
  /** {@link Attention.attend} for T queries per row at once: `queries` [B, T, querySize] → context [B, T, keySize], weights [B, T, S]. */
  attendSequence(queries: tf.Tensor3D, memory: AttentionMemory): AttentionSequenceResult;
  /** Weights by PyTorch-style names (`query.weight`, `key.weight`, `v.weight` / `linear.weight`); none for dot. */
  parameters(): Record<string, tf.Variable>;
  dispose(): void;
}
