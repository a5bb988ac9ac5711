import { ArgumentError } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';

/** Summed NLL and the number of steps it covers; the metric is `sum / steps`. */
export interface NllSums {
  /** Σ over valid steps of Σ over the 88 keys of the Bernoulli negative log-likelihood (nats). */
  readonly sum: number;
  /** Valid (predicted) time steps. */
  readonly steps: number;
}

/**
 * Σ_k of the Bernoulli negative log-likelihood per step, from logits z and 0/1 targets y [B, T, 88]:
 * ℓ_t = −Σ_k [y log σ(z) + (1 − y) log(1 − σ(z))] = Σ_k [max(z, 0) − z·y + log(1 + e^−|z|)] (the stable form of
 * PyTorch's `binary_cross_entropy_with_logits`). Returns [B, T]; the caller disposes it.
 */
export function frameNllPerStep(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = tf.cast(logits, 'float32');
    const y = tf.cast(targets, 'float32');
    const perKey = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    return tf.sum(perKey, -1);
  });
}

/**
 * The summed per-step NLL of a batch over its valid steps (`mask` [B, T], 1 = predicted step). Add the sums of
 * every batch of a split and divide: {@link frameNll} = Σ NLL / Σ steps — the "negative log-likelihood per time
 * step" of Boulanger-Lewandowski et al. (2012) and Chung et al. (2014): averaged over all predicted steps of the
 * split (pooled across pieces, so long pieces weigh more), in nats.
 */
export async function frameNllSums(logits: tf.Tensor, targets: tf.Tensor, mask?: tf.Tensor): Promise<NllSums> {
  const [sum, steps] = tf.tidy(() => {
    const perStep = frameNllPerStep(logits, targets);
    const m = mask === undefined ? tf.onesLike(perStep) : tf.cast(mask, 'float32');
    return [tf.sum(tf.mul(perStep, m)), tf.sum(m)];
  });
  const [sumValue] = await sum.data();
  const [stepCount] = await steps.data();
  tf.dispose([sum, steps]);
  if (sumValue === undefined || stepCount === undefined) {
    throw new ArgumentError('logits', 'a reduction to one NLL sum and one step count', 'an empty result');
  }
  return { sum: sumValue, steps: stepCount };
}

/** The metric from summed batches: Σ NLL / Σ steps (NaN when there are no steps). */
export function frameNll(sums: readonly NllSums[]): number {
  const total = sums.reduce((a, s) => ({ sum: a.sum + s.sum, steps: a.steps + s.steps }), { sum: 0, steps: 0 });
  return total.steps === 0 ? Number.NaN : total.sum / total.steps;
}
