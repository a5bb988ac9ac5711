import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertNumberInRange, checkOptions } from '@gated/tensor';
import { KernelCall } from '../fused/wasm-kernels.js';
import { nativeAvailable, nativeKernel } from '../native/index.js';
import type { NativeExports } from '../native/native-addon.js';
import { adamStepOnWasmHeap } from './adam-on-wasm-heap.js';

/** One parameter of {@link nativeAdamStep}: the variable, its gradient and its two moment slots (same shape). */
export interface AdamStepEntry {
  readonly param: tf.Variable;
  readonly grad: tf.Tensor;
  /** First moment m (PyTorch's `exp_avg`); zeros before the first step. */
  readonly expAvg: tf.Variable;
  /** Second moment v (PyTorch's `exp_avg_sq`); zeros before the first step. */
  readonly expAvgSq: tf.Variable;
}

/** Options of {@link nativeAdamStep} (torch.optim.Adam / AdamW's, the step count included). */
export interface AdamStepOptions {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The step being taken, 1 for the first (bias corrections 1 − βᵗ). */
  readonly step: number;
  /** Adam's L2 term added to the gradient; default 0. */
  readonly weightDecay?: number;
  /** AdamW's decoupled decay: p ← p·(1 − lr·λ) first; default 0. */
  readonly decoupledWeightDecay?: number;
  /** Every gradient is multiplied by this first (clip_grad_norm_'s coefficient); default 1. */
  readonly gradScale?: number;
}

const SPEC = {
  learningRate: 'number',
  beta1: 'number',
  beta2: 'number',
  epsilon: 'number',
  step: 'integer',
  weightDecay: 'number',
  decoupledWeightDecay: 'number',
  gradScale: 'number',
} as const;

interface AdamExports extends NativeExports {
  adam_step?(...args: number[]): void;
}

/** Whether {@link nativeAdamStep} can run here (the native addon, with its optimizer kernel, loads). */
export function nativeAdamAvailable(): boolean {
  return nativeAvailable() && typeof (nativeKernel() as AdamExports).adam_step === 'function';
}

// float32, as PyTorch casts its Python scalars
const f32 = (v: number): number => Math.fround(v);

/**
 * One step of `torch.optim.Adam` (or `AdamW`) of PyTorch 1.13 over every entry, in the native addon: each
 * parameter's update is one pass over its floats (≈10 tfjs ops each otherwise), in the same order of float32
 * operations, so it matches PyTorch within 1e-6 relative. Updates the parameters and both slots in place.
 * Throws an `ArgumentError` when the native kernel is not loaded ({@link nativeAdamAvailable}).
 *
 * @example
 * nativeAdamStep([{ param, grad, expAvg, expAvgSq }], { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 });
 */
export function nativeAdamStep(entries: readonly AdamStepEntry[], options: AdamStepOptions): void {
  checkOptions('nativeAdamStep', options, SPEC);
  const { learningRate: lr, beta1, beta2, epsilon, step } = options;
  assertNumberInRange('learningRate', lr, 0, Number.MAX_VALUE);
  assertNumberInRange('beta1', beta1, 0, 0.999999999);
  assertNumberInRange('beta2', beta2, 0, 0.999999999);
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError('step', 'an integer ≥ 1', String(step));
  if (!nativeAdamAvailable()) throw new ArgumentError('nativeAdamStep', 'the native addon with its Adam kernel', 'not loaded');
  const k = nativeKernel() as AdamExports;
  for (const e of entries) {
    const shape = e.param.shape;
    const same = (t: tf.Tensor) => t.size === e.param.size && t.shape.every((d, i) => d === shape[i]);
    if (!same(e.grad) || !same(e.expAvg) || !same(e.expAvgSq)) {
      throw new ArgumentError('entries', `grad and slots shaped [${shape.join(', ')}] like the parameter`, `[${e.grad.shape.join(', ')}], [${e.expAvg.shape.join(', ')}], [${e.expAvgSq.shape.join(', ')}]`);
    }
  }
  const decay = 1 - lr * (options.decoupledWeightDecay ?? 0);
  const scalars = [
    f32(options.gradScale ?? 1),
    f32(decay),
    f32(options.weightDecay ?? 0),
    f32(beta1),
    f32(1 - beta1),
    f32(beta2),
    f32(1 - beta2),
    f32(-lr / (1 - beta1 ** step)),
    f32(Math.sqrt(1 - beta2 ** step)),
    f32(epsilon),
  ];
  // on tfjs-backend-wasm, over views of its heap (nothing copied, no array made); else through copies in kernel memory
  if (adamStepOnWasmHeap(entries, (arrays) => nativeAdamStepArrays(arrays, scalars))) return;
  for (const e of entries) {
    const n = e.param.size;
    const call = new KernelCall(k);
    const pp = call.f32(e.param.dataSync() as Float32Array);
    const pg = call.f32(e.grad.dataSync() as Float32Array);
    const pm = call.f32(e.expAvg.dataSync() as Float32Array);
    const pv = call.f32(e.expAvgSq.dataSync() as Float32Array);
    k.adam_step?.(n, pp, pg, pm, pv, ...scalars);
    for (const [v, ptr] of [[e.param, pp], [e.expAvg, pm], [e.expAvgSq, pv]] as const) {
      const value = tf.tensor(call.read(ptr, n), v.shape, 'float32');
      v.assign(value);
      value.dispose();
    }
  }
}

/** Float32Arrays of one parameter for {@link nativeAdamStepArrays}: p, its gradient, its moments and where the new p goes. */
export interface AdamStepArrays {
  readonly p: Float32Array;
  readonly g: Float32Array;
  /** Updated in place. */
  readonly m: Float32Array;
  /** Updated in place. */
  readonly v: Float32Array;
  /** The updated parameter (may be `p` itself). */
  readonly out: Float32Array;
}

interface AdamArrayExports extends NativeExports {
  adam_step_arrays?(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, ...scalars: number[]): void;
}

/**
 * One Adam step in the native addon over Float32Arrays the caller owns — views of tfjs-backend-wasm's heap, so nothing
 * is copied in or out — with the ten float32 scalars in the kernel's order (gradScale, decay, l2, β₁, 1−β₁, β₂, 1−β₂,
 * −stepSize, √(1−β₂ᵗ), ε). The same float32 operations, in the same order, as {@link nativeAdamStep}. Returns false
 * (nothing changed) when the addon or this kernel is not loaded; throws an `ArgumentError` when an entry's arrays are
 * shorter than its `p`.
 */
export function nativeAdamStepArrays(entries: readonly AdamStepArrays[], scalars: readonly number[]): boolean {
  if (scalars.length !== 10) throw new ArgumentError('scalars', '10 numbers', `${scalars.length}`);
  if (!nativeAvailable()) return false;
  const k = nativeKernel() as AdamArrayExports;
  if (typeof k.adam_step_arrays !== 'function') return false;
  for (const e of entries) {
    const n = e.p.length;
    if (e.g.length < n || e.m.length < n || e.v.length < n || e.out.length < n) {
      throw new ArgumentError('entries', `g, m, v and out of ${n} floats like p`, `${e.g.length}, ${e.m.length}, ${e.v.length}, ${e.out.length}`);
    }
  }
  for (const e of entries) k.adam_step_arrays(e.p, e.g, e.m, e.v, e.out, ...scalars);
  return true;
}
