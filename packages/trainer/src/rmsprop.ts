import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_SPECS } from './option-specs.js';
import { assertNumberInRange, checkOptions } from '@gated/tensor';
import { Optimizer, s } from './optimizer.js';

/** Options of {@link RMSprop}, as `torch.optim.RMSprop`. */
export interface RMSpropOptions {
  /** Default 0.01. */
  readonly learningRate?: number;
  /** Smoothing constant α of the squared-gradient average; default 0.99. */
  readonly alpha?: number;
  /** ε added to the root (outside it, as PyTorch; Keras puts it inside); default 1e-8. */
  readonly epsilon?: number;
  /** Default 0. */
  readonly momentum?: number;
  /** Normalise by the variance estimate instead of the raw second moment; default false. */
  readonly centered?: boolean;
  /** L2 penalty added to the gradient; default 0. */
  readonly weightDecay?: number;
}

/** Defaults of {@link RMSpropOptions}. */
export const RMSPROP_DEFAULTS = { learningRate: 0.01, alpha: 0.99, epsilon: 1e-8, momentum: 0, centered: false, weightDecay: 0 } as const;

/**
 * RMSprop as PyTorch 1.13: v ← α·v + (1−α)·g²; a = √(v − ḡ²) (centered) or √v, plus ε;
 * p ← p − lr·g/a, or with momentum b ← μ·b + g/a, p ← p − lr·b.
 */
export class RMSprop extends Optimizer {
  readonly kind = 'rmsprop' as const;
  readonly config: { alpha: number; epsilon: number; momentum: number; centered: boolean; weightDecay: number };

  constructor(options: RMSpropOptions = {}) {
    checkOptions('new RMSprop', options, OPTIMIZER_SPECS.rmsprop);
    const o = { ...RMSPROP_DEFAULTS, ...options };
    super(o.learningRate);
    assertNumberInRange('alpha', o.alpha, 0, 1);
    assertNumberInRange('epsilon', o.epsilon, 0, 1);
    assertNumberInRange('momentum', o.momentum, 0, 1);
    assertNumberInRange('weightDecay', o.weightDecay, 0, Number.MAX_VALUE);
    this.config = { alpha: o.alpha, epsilon: o.epsilon, momentum: o.momentum, centered: o.centered, weightDecay: o.weightDecay };
  }

  override slotNames(): readonly string[] {
    return ['square_avg', ...(this.config.centered ? ['grad_avg'] : []), ...(this.config.momentum > 0 ? ['momentum_buffer'] : [])];
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, lr: number): void {
    const { alpha, epsilon, momentum, centered, weightDecay } = this.config;
    const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(s(weightDecay), param));
    const zeros = () => tf.zerosLike(param);
    // v ← α·v + (1−α)·g²
    const v = tf.add(tf.mul(this.getSlot(name, 'square_avg') ?? zeros(), s(alpha)), tf.mul(tf.mul(s(1 - alpha), g), g));
    this.setSlot(name, 'square_avg', v);
    let avg: tf.Tensor;
    if (centered) {
      // ḡ ← α·ḡ + (1−α)·g ;  a = √(v − ḡ²)
      const gAvg = tf.add(tf.mul(this.getSlot(name, 'grad_avg') ?? zeros(), s(alpha)), tf.mul(s(1 - alpha), g));
      this.setSlot(name, 'grad_avg', gAvg);
      avg = tf.sqrt(tf.add(v, tf.mul(tf.mul(s(-1), gAvg), gAvg)));
    } else {
      avg = tf.sqrt(v);
    }
    avg = tf.add(avg, s(epsilon));
    if (momentum > 0) {
      // b ← μ·b + g/a ;  p ← p − lr·b
      const buf = tf.add(tf.mul(this.getSlot(name, 'momentum_buffer') ?? zeros(), s(momentum)), tf.div(g, avg));
      this.setSlot(name, 'momentum_buffer', buf);
      param.assign(tf.add(param, tf.mul(s(-lr), buf)));
    } else {
      param.assign(tf.add(param, tf.div(tf.mul(s(-lr), g), avg)));
    }
  }
}
