import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_SPECS } from './option-specs.js';
import { ArgumentError, assertNumberInRange, checkOptions } from '@gated/tensor';
import { Optimizer, s } from './optimizer.js';

/** Options of {@link SGD}, as `torch.optim.SGD`. */
export interface SGDOptions {
  /** Default 0.01. */
  readonly learningRate?: number;
  /** Default 0. */
  readonly momentum?: number;
  /** Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. Default false. */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  readonly weightDecay?: number;
}

/** Defaults of {@link SGDOptions}. */
export const SGD_DEFAULTS = { learningRate: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 } as const;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, as PyTorch 1.13:
 * b ← μ·b + (1−τ)·g (b₁ = g); update g + μ·b (Nesterov) or b; p ← p − lr·update.
 */
export class SGD extends Optimizer {
  readonly kind = 'sgd' as const;
  readonly config: { momentum: number; dampening: number; nesterov: boolean; weightDecay: number };

  constructor(options: SGDOptions = {}) {
    checkOptions('new SGD', options, OPTIMIZER_SPECS.sgd);
    const o = { ...SGD_DEFAULTS, ...options };
    super(o.learningRate);
    assertNumberInRange('momentum', o.momentum, 0, 1);
    assertNumberInRange('dampening', o.dampening, 0, 1);
    assertNumberInRange('weightDecay', o.weightDecay, 0, Number.MAX_VALUE);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ArgumentError('nesterov', 'momentum > 0 and dampening 0', `momentum ${o.momentum}, dampening ${o.dampening}`);
    }
    this.config = { momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weightDecay };
  }

  override slotNames(): readonly string[] {
    return this.config.momentum !== 0 ? ['momentum_buffer'] : [];
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, lr: number): void {
    const { momentum, dampening, nesterov, weightDecay } = this.config;
    let d = weightDecay === 0 ? grad : tf.add(grad, tf.mul(s(weightDecay), param));
    if (momentum !== 0) {
      const previous = this.getSlot(name, 'momentum_buffer');
      // b ← μ·b + (1−τ)·g, and b₁ = g
      const buf = previous === undefined ? d : tf.add(tf.mul(previous, s(momentum)), tf.mul(s(1 - dampening), d));
      this.setSlot(name, 'momentum_buffer', buf);
      d = nesterov ? tf.add(d, tf.mul(s(momentum), buf)) : buf;
    }
    // p ← p − lr·d
    param.assign(tf.add(param, tf.mul(s(-lr), d)));
  }
}
