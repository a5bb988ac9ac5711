import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertNumberInRange } from '@gated/tensor';

/** Names of the built-in optimizers. */
export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/**
 * Everything an optimizer carries between steps, for checkpoints: its step count and its slot tensors named
 * `<parameter>.<slot>` with PyTorch's slot names (`exp_avg`, `exp_avg_sq`, `momentum_buffer`, `square_avg`,
 * `grad_avg`).
 */
export interface OptimizerState {
  readonly kind: OptimizerKind;
  readonly config: Readonly<Record<string, number | boolean>>;
  readonly stepCount: number;
  readonly slots: Record<string, tf.Tensor>;
}

/**
 * Base of the built-in optimizers. Updates are float32 tf ops that follow PyTorch 1.13's `torch.optim`
 * formulas step for step; all state is in {@link Optimizer.stateDict}, so a checkpoint restores it exactly.
 */
export abstract class Optimizer {
  abstract readonly kind: OptimizerKind;
  /** The resolved options (learning rate excluded: `fit` passes it every step). */
  abstract readonly config: Readonly<Record<string, number | boolean>>;
  /** Learning rate used when `step` is called without one. */
  readonly learningRate: number;
  #stepCount = 0;
  readonly #slots = new Map<string, tf.Variable>();

  protected constructor(learningRate: number) {
    assertNumberInRange('learningRate', learningRate, 0, Number.MAX_VALUE);
    this.learningRate = learningRate;
  }

  /** Number of updates applied so far (PyTorch's `state['step']`). */
  get stepCount(): number {
    return this.#stepCount;
  }

  /**
   * Applies one update to every parameter that has a gradient (parameters without one are left alone, as
   * PyTorch skips `grad is None`). Does not dispose `grads`. `gradScale` (default 1) multiplies every gradient
   * first — `clip_grad_norm_`'s coefficient, applied inside a fused kernel (native Adam) instead of as a tfjs op
   * per parameter; same float32 product either way.
   */
  step(params: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>, learningRate = this.learningRate, gradScale = 1): void {
    if (!Number.isFinite(gradScale)) throw new ArgumentError('gradScale', 'a finite number', String(gradScale));
    this.#stepCount += 1;
    if (this.updateAll(params, grads, learningRate, this.#stepCount, gradScale)) return;
    scalarCache = new Map();
    try {
      for (const [name, param] of Object.entries(params)) {
        const grad = grads[name];
        if (grad === undefined) continue;
        tf.tidy(() => this.update(name, param, gradScale === 1 ? grad : tf.mul(grad, tf.scalar(gradScale)), learningRate, this.#stepCount));
      }
    } finally {
      tf.dispose([...scalarCache.values()]);
      scalarCache = undefined;
    }
  }

  /**
   * Every parameter's update at once (a fused kernel, every gradient multiplied by `gradScale` first), or false
   * to have {@link Optimizer.update} called per parameter. The default declines.
   */
  protected updateAll(params: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>, learningRate: number, step: number, gradScale: number): boolean {
    void params;
    void grads;
    void learningRate;
    void step;
    void gradScale;
    return false;
  }

  /** One parameter's update; runs inside tf.tidy. */
  protected abstract update(name: string, param: tf.Variable, grad: tf.Tensor, learningRate: number, step: number): void;

  /** The slot `slot` of parameter `name`, or undefined before its first update. */
  protected getSlot(name: string, slot: string): tf.Variable | undefined {
    return this.#slots.get(`${name}.${slot}`);
  }

  /** Writes `value` into the slot, creating it on first use. */
  protected setSlot(name: string, slot: string, value: tf.Tensor): void {
    const key = `${name}.${slot}`;
    const existing = this.#slots.get(key);
    if (existing === undefined) this.#slots.set(key, tf.variable(value, false));
    else existing.assign(value);
  }

  /**
   * The slots every updated parameter carries (PyTorch names, e.g. `exp_avg`, `exp_avg_sq`), so a loaded state can
   * be checked for missing ones; undefined when an optimizer does not say.
   */
  slotNames(): readonly string[] | undefined {
    return undefined;
  }

  /** A copy of the optimizer's state (the caller disposes the slot tensors). */
  stateDict(): OptimizerState {
    const slots: Record<string, tf.Tensor> = {};
    for (const [key, v] of this.#slots) slots[key] = tf.clone(v);
    return { kind: this.kind, config: { ...this.config }, stepCount: this.#stepCount, slots };
  }

  /** Restores {@link Optimizer.stateDict}; the kind and options must match this optimizer's. */
  loadStateDict(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new ArgumentError('state.kind', `"${this.kind}"`, `"${state.kind}"`);
    const mine = JSON.stringify(this.config);
    const theirs = JSON.stringify(state.config);
    if (mine !== theirs) throw new ArgumentError('state.config', mine, theirs);
    this.disposeSlots();
    for (const [key, t] of Object.entries(state.slots)) this.#slots.set(key, tf.variable(t, false));
    this.#stepCount = state.stepCount;
  }

  /** Frees the slot tensors. */
  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const v of this.#slots.values()) v.dispose();
    this.#slots.clear();
  }
}

// During a step, each constant is uploaded once and shared by every parameter's update.
let scalarCache: Map<number, tf.Scalar> | undefined;

/** A float32 scalar; constants are rounded to float32 the way PyTorch casts Python scalars. */
export function s(v: number): tf.Scalar {
  if (scalarCache === undefined) return tf.scalar(v, 'float32');
  let t = scalarCache.get(v);
  if (t === undefined) {
    t = tf.keep(tf.scalar(v, 'float32'));
    scalarCache.set(v, t);
  }
  return t;
}
