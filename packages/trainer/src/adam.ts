import * as tf from '@tensorflow/tfjs-core';
import { type AdamStepEntry, adamStepOnWasmHeap, nativeAdamAvailable, nativeAdamStep, nativeAdamStepArrays } from '@gated/cells';
import { adamInPlace } from './adam-in-place.js';
import { OPTIMIZER_SPECS } from './option-specs.js';
import { ArgumentError, assertNumberInRange, checkOptions } from '@gated/tensor';
import { Optimizer, s } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}, as `torch.optim.Adam`/`AdamW`. */
export interface AdamOptions {
  /** Default 0.001. */
  readonly learningRate?: number;
  /** β₁; default 0.9. */
  readonly beta1?: number;
  /** β₂; default 0.999. */
  readonly beta2?: number;
  /** ε added to √v̂; default 1e-8. */
  readonly epsilon?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay p ← p·(1 − lr·λ) (default 0.01). */
  readonly weightDecay?: number;
  /**
   * Where the update runs: `native` (@gated/cells' addon, one pass per parameter), `tfjs` (≈10 tfjs ops per
   * parameter) or `auto` (the default: on the wasm backend one pass per parameter over the tensors' own memory,
   * the moments updated in place, nothing copied; otherwise native when it loads, else tfjs). All follow PyTorch within 1e-6 relative;
   * not part of the checkpointed config, so a run may resume on another.
   */
  readonly kernels?: 'auto' | 'native' | 'tfjs';
}

/** Defaults of {@link AdamOptions} (AdamW's weightDecay default is 0.01). */
export const ADAM_DEFAULTS = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } as const;

type AdamConfig = { beta1: number; beta2: number; epsilon: number; weightDecay: number };

function resolve(options: AdamOptions, weightDecayDefault: number): AdamConfig & { learningRate: number } {
  const { kernels: _kernels, ...rest } = options;
  const o = { ...ADAM_DEFAULTS, weightDecay: weightDecayDefault, ...rest };
  assertNumberInRange('beta1', o.beta1, 0, 0.999999999);
  assertNumberInRange('beta2', o.beta2, 0, 0.999999999);
  assertNumberInRange('epsilon', o.epsilon, 0, 1);
  assertNumberInRange('weightDecay', o.weightDecay, 0, Number.MAX_VALUE);
  return o;
}

// The shared Adam moment update, in PyTorch 1.13's order of operations.
function adamUpdate(opt: Optimizer & { config: AdamConfig }, slots: SlotAccess, name: string, param: tf.Variable, grad: tf.Tensor, lr: number, step: number, l2: number): void {
  const { beta1, beta2, epsilon } = opt.config;
  const g = l2 === 0 ? grad : tf.add(grad, tf.mul(s(l2), param));
  const m0 = slots.get(name, 'exp_avg');
  const v0 = slots.get(name, 'exp_avg_sq');
  // m ← β₁·m + (1−β₁)·g ;  v ← β₂·v + (1−β₂)·g²
  const m = m0 === undefined ? tf.mul(s(1 - beta1), g) : tf.add(tf.mul(m0, s(beta1)), tf.mul(s(1 - beta1), g));
  const v = v0 === undefined ? tf.mul(tf.mul(s(1 - beta2), g), g) : tf.add(tf.mul(v0, s(beta2)), tf.mul(tf.mul(s(1 - beta2), g), g));
  slots.set(name, 'exp_avg', m);
  slots.set(name, 'exp_avg_sq', v);
  const stepSize = lr / (1 - beta1 ** step);
  // p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)
  const denom = tf.add(tf.div(tf.sqrt(v), s(Math.sqrt(1 - beta2 ** step))), s(epsilon));
  param.assign(tf.add(param, tf.div(tf.mul(s(-stepSize), m), denom)));
}

// The scalars in the order of the native kernel's arguments.
const ADAM_SCALAR_ORDER = ['gradScale', 'decay', 'l2', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'negStepSize', 'bc2Sqrt', 'epsilon'] as const;

interface SlotAccess {
  get(name: string, slot: string): tf.Variable | undefined;
  set(name: string, slot: string, value: tf.Tensor): void;
}

/** Adam (Kingma & Ba) as `torch.optim.Adam`; `weightDecay` is an L2 term added to the gradient. */
export class Adam extends Optimizer {
  readonly kind: 'adam' | 'adamw' = 'adam';
  readonly config: AdamConfig;
  readonly #native: boolean;
  readonly #inPlace: boolean;

  constructor(options: AdamOptions = {}) {
    checkOptions(`new ${new.target.name}`, options, OPTIMIZER_SPECS.adam);
    const o = resolve(options, 0);
    super(o.learningRate);
    this.config = { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: o.weightDecay };
    const kernels = options.kernels ?? 'auto';
    if (kernels === 'native' && !nativeAdamAvailable()) throw new ArgumentError('kernels', "'auto' or 'tfjs' (the native addon with its Adam kernel is not loaded)", "'native'");
    this.#native = kernels !== 'tfjs' && nativeAdamAvailable();
    this.#inPlace = kernels === 'auto';
  }

  /** With the native kernel: every parameter's update in one pass over its floats (same formulas, same order). */
  protected override updateAll(params: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>, learningRate: number, step: number, gradScale: number): boolean {
    if (!this.#native && !this.#inPlace) return false;
    const entries: AdamStepEntry[] = [];
    for (const [name, param] of Object.entries(params)) {
      const grad = grads[name];
      if (grad === undefined) continue;
      const slot = (key: string): tf.Variable => {
        const existing = this.getSlot(name, key);
        if (existing !== undefined) return existing;
        const zeros = tf.zeros(param.shape);
        this.setSlot(name, key, zeros);
        zeros.dispose();
        const made = this.getSlot(name, key);
        if (made === undefined) throw new ArgumentError(`slot ${name}.${key}`, 'a variable', 'none');
        return made;
      };
      entries.push({ param, grad, expAvg: slot('exp_avg'), expAvgSq: slot('exp_avg_sq') });
    }
    const decoupled = this.kind === 'adamw';
    if (this.#inPlace && this.#stepInPlace(entries, learningRate, step, gradScale)) return true;
    if (!this.#native) return false;
    nativeAdamStep(entries, {
      learningRate,
      beta1: this.config.beta1,
      beta2: this.config.beta2,
      epsilon: this.config.epsilon,
      step,
      gradScale,
      ...(decoupled ? { decoupledWeightDecay: this.config.weightDecay } : { weightDecay: this.config.weightDecay }),
    });
    return true;
  }

  // The step on views of the tensors in the wasm heap, or false (nothing changed) when they cannot be used.
  #stepInPlace(entries: readonly AdamStepEntry[], learningRate: number, step: number, gradScale: number): boolean {
    const f = Math.fround;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const decoupled = this.kind === 'adamw';
    const scalars = {
      gradScale: f(gradScale),
      decay: f(1 - learningRate * (decoupled ? weightDecay : 0)),
      l2: f(decoupled ? 0 : weightDecay),
      beta1: f(beta1),
      oneMinusBeta1: f(1 - beta1),
      beta2: f(beta2),
      oneMinusBeta2: f(1 - beta2),
      negStepSize: f(-learningRate / (1 - beta1 ** step)),
      bc2Sqrt: f(Math.sqrt(1 - beta2 ** step)),
      epsilon: f(epsilon),
    };
    // The native addon's loop over the views when it loads (the same float32 operations in the same order, so the
    // same bits, several times faster than JavaScript's on a large parameter), else JavaScript's.
    return adamStepOnWasmHeap(entries, (arrays) => {
      if (!this.#native || !nativeAdamStepArrays(arrays, ADAM_SCALAR_ORDER.map((k) => scalars[k]))) adamInPlace(arrays, scalars);
      return true;
    });
  }

  override slotNames(): readonly string[] {
    return ['exp_avg', 'exp_avg_sq'];
  }

  protected slotAccess(): SlotAccess {
    return { get: (n, k) => this.getSlot(n, k), set: (n, k, v) => this.setSlot(n, k, v) };
  }

  protected update(name: string, param: tf.Variable, grad: tf.Tensor, lr: number, step: number): void {
    adamUpdate(this, this.slotAccess(), name, param, grad, lr, step, this.config.weightDecay);
  }
}

/**
 * AdamW (Loshchilov & Hutter) as `torch.optim.AdamW`: weight decay is decoupled from the gradient,
 * p ← p·(1 − lr·λ) before the Adam step. Default weightDecay 0.01.
 */
export class AdamW extends Adam {
  override readonly kind = 'adamw' as const;

  constructor(options: AdamOptions = {}) {
    checkOptions('new AdamW', options, OPTIMIZER_SPECS.adamw);
    super({ ...options, weightDecay: resolve(options, 0.01).weightDecay });
  }

  protected override update(name: string, param: tf.Variable, grad: tf.Tensor, lr: number, step: number): void {
    // p ← p·(1 − lr·λ)
    if (this.config.weightDecay !== 0) param.assign(tf.mul(param, s(1 - lr * this.config.weightDecay)));
    adamUpdate(this, this.slotAccess(), name, param, grad, lr, step, 0);
  }
}
