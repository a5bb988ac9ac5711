import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertNumberInRange } from '@gated/tensor';

const LN2 = Math.LN2;

/** Perplexity exp(H) of a mean cross-entropy H in nats per token (PyTorch's `math.exp(loss)`). */
export function perplexity(meanCrossEntropy: number): number {
  assertNumberInRange('meanCrossEntropy', meanCrossEntropy, 0, 1e4);
  return Math.exp(meanCrossEntropy);
}

/** Bits per token H / ln 2 of a mean cross-entropy H in nats per token. */
export function bitsPerToken(meanCrossEntropy: number): number {
  assertNumberInRange('meanCrossEntropy', meanCrossEntropy, 0, 1e4);
  return meanCrossEntropy / LN2;
}

/**
 * Bits per character of a mean cross-entropy H in nats per token: H / ln 2 for a character model; for a word (or
 * other) model pass the number of `tokens` scored and the `characters` they span: H · tokens / (characters · ln 2).
 *
 * @example
 * bitsPerCharacter(1.0); // 1.4427 for a char model
 * bitsPerCharacter(4.2, { tokens: 9_000, characters: 50_000 }); // a word model on the same text
 */
export function bitsPerCharacter(meanCrossEntropy: number, scale?: { readonly tokens: number; readonly characters: number }): number {
  const bits = bitsPerToken(meanCrossEntropy);
  if (scale === undefined) return bits;
  if (!(scale.tokens > 0 && scale.characters > 0)) throw new ArgumentError('scale', 'positive tokens and characters', JSON.stringify(scale));
  return (bits * scale.tokens) / scale.characters;
}

/**
 * Mean cross-entropy in nats (PyTorch `F.cross_entropy`, reduction 'mean') of `logits` [..., V] against int32
 * `targets` [...]; with a `mask` (same shape as targets, 1 = counted) only masked-in positions are averaged.
 * Intermediates are disposed; the inputs are not.
 */
export function crossEntropy(logits: tf.Tensor, targets: tf.Tensor, mask?: tf.Tensor): number {
  const V = logits.shape.at(-1);
  if (V === undefined) throw new ArgumentError('logits', 'a tensor [..., V] of rank ≥ 1', 'a scalar');
  const want = [...targets.shape, V].join(',');
  if (logits.shape.join(',') !== want) throw new ArgumentError('logits', `shape [${want}] (targets + vocabulary)`, `[${logits.shape.join(',')}]`);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(tf.reshape(logits, [-1, V]));
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(tf.reshape(targets, [-1]), 'int32'), V)), -1));
    if (mask === undefined) return scalarValue(tf.mean(nll));
    const m = tf.cast(tf.reshape(mask, [-1]), 'float32');
    return scalarValue(tf.div(tf.sum(tf.mul(nll, m)), tf.maximum(tf.sum(m), 1)));
  });
}

function scalarValue(t: tf.Tensor): number {
  const value = t.dataSync().at(0);
  if (value === undefined) throw new ArgumentError('crossEntropy', 'a scalar loss', `shape [${t.shape.join(',')}]`);
  return value;
}
