import * as tf from '@tensorflow/tfjs-core';
import { Rng, assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { type CellConfig, type CellWeights, createCellWeights, weightOf } from '../cell-config.js';
import { checkStepInput, parametersOf } from './cell-common.js';
import { item } from '../list-item.js';
import type { RecurrentState } from '../types.js';

/** Options of {@link GRUCell}. */
export interface GRUCellOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Add b_ih and b_hh; default true. */
  readonly bias?: boolean;
  /**
   * true (default): n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)) — PyTorch, cuDNN, Keras reset_after, ONNX
   * linear_before_reset=1. false: n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn) — Cho et al., ONNX
   * linear_before_reset=0.
   */
  readonly resetAfter?: boolean;
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/** The weights of one GRU step, prepared for x·Wᵀ products. */
export type GRUStepWeights = {
  readonly wIhT: tf.Tensor2D;
  /** Reset-after: all of W_hhᵀ [H, 3H]. Reset-before: the r,z columns [H, 2H]. */
  readonly wHhT: tf.Tensor2D;
  readonly bIh: tf.Tensor1D | null;
  readonly bHh: tf.Tensor1D | null;
} & (
  | { readonly resetAfter: true; readonly wHnT: null }
  /** Reset-before only: W_hnᵀ [H, H]. */
  | { readonly resetAfter: false; readonly wHnT: tf.Tensor2D }
);

/** Differentiable views of `w` for {@link gruStep}; call inside a tidy. */
export function prepareGru(w: CellWeights, resetAfter: boolean): GRUStepWeights {
  const whh = weightOf(w, 'weight_hh');
  const wIhT = tf.transpose(weightOf(w, 'weight_ih')) as tf.Tensor2D;
  const bIh = (w['bias_ih'] as tf.Tensor1D | undefined) ?? null;
  const bHh = (w['bias_hh'] as tf.Tensor1D | undefined) ?? null;
  if (resetAfter) return { wIhT, wHhT: tf.transpose(whh) as tf.Tensor2D, wHnT: null, bIh, bHh, resetAfter };
  const h = item(whh.shape, 1, 'weight_hh.shape');
  return {
    wIhT,
    wHhT: tf.transpose(tf.slice(whh, [0, 0], [2 * h, h])) as tf.Tensor2D,
    wHnT: tf.transpose(tf.slice(whh, [2 * h, 0], [h, h])) as tf.Tensor2D,
    bIh,
    bHh,
    resetAfter,
  };
}

/** The gate activations of one GRU step, each [B, H]. */
export interface GRUStepGates {
  /** r = σ(W_ir x + b_ir + W_hr h + b_hr), the reset gate */
  readonly r: tf.Tensor2D;
  /** z = σ(W_iz x + b_iz + W_hz h + b_hz), the update gate (h_t keeps z⊙h_{t−1}) */
  readonly z: tf.Tensor2D;
  /** n, the candidate state */
  readonly n: tf.Tensor2D;
}

/**
 * One GRU step with tfjs ops (PyTorch gate order r, z, n and PyTorch's h_t = (1−z)⊙n + z⊙h_{t−1}), returning the
 * gates it computed on the way (its own intermediates, no extra work). `recurrentMask` multiplies h_{t−1} where it
 * enters the recurrent matrices.
 */
export function gruStepGates(p: GRUStepWeights, x: tf.Tensor2D, h: tf.Tensor2D, recurrentMask: tf.Tensor2D | null): { h: tf.Tensor2D; gates: GRUStepGates } {
  const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
  let xp = tf.matMul(x, p.wIhT);
  if (p.bIh) xp = tf.add(xp, p.bIh);
  const [xr, xz, xn] = tf.split(xp, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  let hp = tf.matMul(hIn, p.wHhT);
  const hs = h.shape[1];
  let bn: tf.Tensor1D | null = null;
  if (p.bHh) {
    const [brz, bnh] = tf.split(p.bHh, [2 * hs, hs]) as [tf.Tensor1D, tf.Tensor1D];
    bn = bnh;
    hp = tf.add(hp, p.resetAfter ? p.bHh : brz);
  }
  let r: tf.Tensor2D;
  let z: tf.Tensor2D;
  let n: tf.Tensor2D;
  if (p.resetAfter) {
    const [hr, hz, hn] = tf.split(hp, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    // r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise
    r = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
    z = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
    // n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
    n = tf.tanh(tf.add(xn, tf.mul(r, hn))) as tf.Tensor2D;
  } else {
    const [hr, hz] = tf.split(hp, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    r = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
    z = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
    // n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)
    let rec = tf.matMul(tf.mul(r, hIn), p.wHnT);
    if (bn) rec = tf.add(rec, bn);
    n = tf.tanh(tf.add(xn, rec)) as tf.Tensor2D;
  }
  // h_t = (1−z)⊙n + z⊙h_{t−1}
  return { h: tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)), gates: { r, z, n } };
}

/**
 * One GRU step with tfjs ops (PyTorch gate order r, z, n and PyTorch's h_t = (1−z)⊙n + z⊙h_{t−1}).
 * `recurrentMask` multiplies h_{t−1} where it enters the recurrent matrices.
 */
export function gruStep(p: GRUStepWeights, x: tf.Tensor2D, h: tf.Tensor2D, recurrentMask: tf.Tensor2D | null): tf.Tensor2D {
  return gruStepGates(p, x, h, recurrentMask).h;
}

/**
 * A single GRU cell for streaming use: `step(x_t, state) → state`, with PyTorch's GRUCell weights
 * (`weight_ih` [3H, in], `weight_hh` [3H, H], `bias_ih`, `bias_hh` [3H], gates r, z, n).
 *
 * @example
 * const cell = new GRUCell({ inputSize: 8, hiddenSize: 16 });
 * const { h } = cell.step(x0);
 */
export class GRUCell {
  /** What the cell computes, resolved from its options. */
  readonly config: CellConfig;
  /** The weights, by PyTorch GRUCell names. */
  readonly weights: CellWeights;

  /** Creates a cell; `weights` (shared, not copied) are used instead of fresh ones when given. */
  constructor(options: GRUCellOptions, weights?: CellWeights) {
    assertObject('new GRUCell options', options, 'an options object { inputSize, hiddenSize, … }');
    checkOptions('new GRUCell', options, { inputSize: 'integer', hiddenSize: 'integer', bias: 'boolean', resetAfter: 'boolean', seed: 'integer' });
    assertInteger('inputSize', options.inputSize, 1);
    assertInteger('hiddenSize', options.hiddenSize, 1);
    this.config = {
      kind: 'gru',
      inputSize: options.inputSize,
      hiddenSize: options.hiddenSize,
      bias: options.bias ?? true,
      projSize: 0,
      peepholes: false,
      resetAfter: options.resetAfter ?? true,
      nonlinearity: 'tanh',
    };
    this.weights = weights ?? createCellWeights(this.config, new Rng(options.seed ?? 0));
  }

  /** One step: x_t [B, inputSize] and the previous state (zeros when omitted) → the new { h }. */
  step(x: tf.Tensor2D, state?: RecurrentState): RecurrentState {
    checkStepInput(this.config, x, state, false);
    return tf.tidy(() => {
      const h = state?.h ?? tf.zeros([x.shape[0], this.config.hiddenSize]);
      return { h: gruStep(prepareGru(this.weights, this.config.resetAfter), x, h, null) };
    });
  }

  /** The weights by PyTorch GRUCell names. */
  parameters(): Record<string, tf.Variable> {
    return parametersOf(this.weights);
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of Object.values(this.weights)) v.dispose();
  }
}
