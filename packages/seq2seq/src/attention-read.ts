import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import type { AttentionMemory, AttentionResult, AttentionSequenceResult } from './attention.js';
import { lengthMask, maskedSoftmax } from './attention-mask.js';

/** Validates encoder outputs [B, S, keySize] and their lengths. */
export function checkKeys(keys: tf.Tensor3D, keySize: number, lengths: readonly number[] | undefined): void {
  if (keys.rank !== 3 || keys.shape[2] !== keySize) throw new ArgumentError('keys', `shape [B, S, ${keySize}]`, `shape [${keys.shape.join(', ')}]`);
  if (lengths === undefined) return;
  if (lengths.length !== keys.shape[0]) throw new ArgumentError('lengths', `${keys.shape[0]} lengths (one per row of keys)`, String(lengths.length));
  lengths.forEach((n, b) => {
    if (!Number.isInteger(n) || n < 1 || n > keys.shape[1]) throw new ArgumentError(`lengths[${b}]`, `an integer in 1..${keys.shape[1]}`, String(n));
  });
}

/** The memory of an attention module: the keys, their projection and the padding mask (all owned by the memory). */
export function prepareMemory(keys: tf.Tensor3D, lengths: readonly number[] | undefined, project: () => tf.Tensor3D): AttentionMemory {
  return tidy(() => {
    const padded = lengths?.some((n) => n < keys.shape[1]) ?? false;
    return { keys: tf.clone(keys), projected: project(), mask: padded && lengths ? lengthMask(lengths, keys.shape[1]) : null };
  });
}

/** α = masked softmax(scores), c = Σ_s α_s k_s. */
export function attentionRead(memory: AttentionMemory, scores: () => tf.Tensor2D): AttentionResult {
  return tidy(() => {
    const weights = maskedSoftmax(scores(), memory.mask);
    const [B, S] = [memory.keys.shape[0], memory.keys.shape[1]];
    // c = Σ_s α_s k_s as one batched product [B, 1, S]·[B, S, K]
    const context = tf.reshape(tf.matMul(tf.reshape(weights, [B, 1, S]), memory.keys), [B, memory.keys.shape[2]]) as tf.Tensor2D;
    return { context, weights };
  });
}

/**
 * α = masked softmax(scores) and c = Σ_s α_s k_s for T queries per row at once: scores [B, T, S] → context
 * [B, T, K] and weights [B, T, S], the same numbers as T calls of {@link attentionRead}.
 */
export function attentionReadSequence(memory: AttentionMemory, scores: () => tf.Tensor3D): AttentionSequenceResult {
  return tidy(() => {
    const weights = maskedSoftmax(scores(), memory.mask);
    // c_t = Σ_s α_ts k_s for every t: [B, T, S]·[B, S, K]
    return { context: tf.matMul(weights, memory.keys) as tf.Tensor3D, weights };
  });
}

/** Frees the tensors of an attention memory. */
export function disposeMemory(memory: AttentionMemory): void {
  memory.keys.dispose();
  if (memory.projected !== memory.keys) memory.projected.dispose();
  memory.mask?.dispose();
}
