import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { type CellConfig, type CellWeights, createCellWeights, outputSizeOf, weightOf } from '../cell-config.js';
import { checkStepInput, parametersOf, zerosState } from './cell-common.js';
import type { RecurrentState } from '../types.js';

/** Options of {@link LSTMCell}. */
export interface LSTMCellOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Add b_ih and b_hh; default true. */
  readonly bias?: boolean;
  /** Project h to this size with weight_hr; 0 (default) = no projection. */
  readonly projSize?: number;
  /** Peephole connections c → i, f, o; default false. */
  readonly peepholes?: boolean;
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/** The weights of one LSTM step, prepared for x·Wᵀ products (transposed once per call, not per op). */
export interface LSTMStepWeights {
  readonly wIhT: tf.Tensor2D;
  readonly wHhT: tf.Tensor2D;
  readonly bias: tf.Tensor1D | null;
  readonly wHrT: tf.Tensor2D | null;
  readonly peep: { readonly ci: tf.Tensor1D; readonly cf: tf.Tensor1D; readonly co: tf.Tensor1D } | null;
}

/** Differentiable views of `w` for {@link lstmStep}; call inside a tidy. */
export function prepareLstm(w: CellWeights): LSTMStepWeights {
  const bih = w['bias_ih'];
  const bhh = w['bias_hh'];
  const whr = w['weight_hr'];
  return {
    wIhT: tf.transpose(weightOf(w, 'weight_ih')) as tf.Tensor2D,
    wHhT: tf.transpose(weightOf(w, 'weight_hh')) as tf.Tensor2D,
    bias: bih && bhh ? (tf.add(bih, bhh) as tf.Tensor1D) : null,
    wHrT: whr ? (tf.transpose(whr) as tf.Tensor2D) : null,
    peep: w['weight_ci']
      ? { ci: w['weight_ci'] as tf.Tensor1D, cf: w['weight_cf'] as tf.Tensor1D, co: w['weight_co'] as tf.Tensor1D }
      : null,
  };
}

/** The gate activations of one LSTM step, each [B, H]. */
export interface LSTMStepGates {
  /** i = σ(W_ii x + b_ii + W_hi h + b_hi) */
  readonly i: tf.Tensor2D;
  /** f = σ(W_if x + b_if + W_hf h + b_hf) */
  readonly f: tf.Tensor2D;
  /** g = tanh(W_ig x + b_ig + W_hg h + b_hg), the candidate cell */
  readonly g: tf.Tensor2D;
  /** o = σ(W_io x + b_io + W_ho h + b_ho) */
  readonly o: tf.Tensor2D;
}

/**
 * One LSTM step with tfjs ops (PyTorch gate order i, f, g, o), returning the gates it computed on the way (no
 * extra work: they are the step's own intermediates). `recurrentMask` [B, P] multiplies h_{t−1} where it enters
 * the recurrent matrix (variational recurrent dropout).
 */
export function lstmStepGates(
  p: LSTMStepWeights,
  x: tf.Tensor2D,
  h: tf.Tensor2D,
  c: tf.Tensor2D,
  recurrentMask: tf.Tensor2D | null,
): { h: tf.Tensor2D; c: tf.Tensor2D; gates: LSTMStepGates } {
  const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
  // a = W_ih x + b_ih + W_hh h + b_hh
  let a = tf.add(tf.matMul(x, p.wIhT), tf.matMul(hIn, p.wHhT));
  if (p.bias) a = tf.add(a, p.bias);
  let [ai, af, ag, ao] = tf.split(a, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  if (p.peep) {
    // i = σ(a_i + w_ci⊙c_{t−1}), f = σ(a_f + w_cf⊙c_{t−1})
    ai = tf.add(ai, tf.mul(p.peep.ci, c));
    af = tf.add(af, tf.mul(p.peep.cf, c));
  }
  const i = tf.sigmoid(ai) as tf.Tensor2D;
  const f = tf.sigmoid(af) as tf.Tensor2D;
  const g = tf.tanh(ag) as tf.Tensor2D;
  // c_t = f⊙c_{t−1} + i⊙g
  const cNew = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
  // o = σ(a_o + w_co⊙c_t) with peepholes
  if (p.peep) ao = tf.add(ao, tf.mul(p.peep.co, cNew));
  const o = tf.sigmoid(ao) as tf.Tensor2D;
  // h_t = o⊙tanh(c_t), projected by W_hr when projSize > 0
  const m = tf.mul(o, tf.tanh(cNew)) as tf.Tensor2D;
  return { h: p.wHrT ? tf.matMul(m, p.wHrT) : m, c: cNew, gates: { i, f, g, o } };
}

/**
 * One LSTM step with tfjs ops (PyTorch gate order i, f, g, o). `recurrentMask` [B, P] multiplies h_{t−1} where
 * it enters the recurrent matrix (variational recurrent dropout).
 */
export function lstmStep(p: LSTMStepWeights, x: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D, recurrentMask: tf.Tensor2D | null): { h: tf.Tensor2D; c: tf.Tensor2D } {
  const { h: hNew, c: cNew } = lstmStepGates(p, x, h, c, recurrentMask);
  return { h: hNew, c: cNew };
}

/**
 * A single LSTM cell for streaming use: `step(x_t, state) → state`, with PyTorch's LSTMCell weights
 * (`weight_ih` [4H, in], `weight_hh` [4H, H or projSize], `bias_ih`, `bias_hh` [4H], gates i, f, g, o).
 *
 * @example
 * const cell = new LSTMCell({ inputSize: 8, hiddenSize: 16 });
 * let state = cell.step(x0);          // zeros before the first step
 * state = cell.step(x1, state);       // { h, c }, each [B, 16]
 */
export class LSTMCell {
  /** What the cell computes, resolved from its options. */
  readonly config: CellConfig;
  /** The weights, by PyTorch's LSTMCell names. */
  readonly weights: CellWeights;

  /** Creates a cell; `weights` (shared, not copied) are used instead of fresh ones when given. */
  constructor(options: LSTMCellOptions, weights?: CellWeights) {
    assertObject('new LSTMCell options', options, 'an options object { inputSize, hiddenSize, … }');
    checkOptions('new LSTMCell', options, { inputSize: 'integer', hiddenSize: 'integer', bias: 'boolean', projSize: 'integer', peepholes: 'boolean', seed: 'integer' });
    assertInteger('inputSize', options.inputSize, 1);
    assertInteger('hiddenSize', options.hiddenSize, 1);
    const projSize = options.projSize ?? 0;
    assertInteger('projSize', projSize, 0);
    if (projSize >= options.hiddenSize) throw new ArgumentError('projSize', `less than hiddenSize ${options.hiddenSize}`, String(projSize));
    this.config = {
      kind: 'lstm',
      inputSize: options.inputSize,
      hiddenSize: options.hiddenSize,
      bias: options.bias ?? true,
      projSize,
      peepholes: options.peepholes ?? false,
      resetAfter: true,
      nonlinearity: 'tanh',
    };
    this.weights = weights ?? createCellWeights(this.config, new Rng(options.seed ?? 0));
  }

  /** One step: x_t [B, inputSize] and the previous state (zeros when omitted) → the new { h, c }. */
  step(x: tf.Tensor2D, state?: RecurrentState): RecurrentState {
    checkStepInput(this.config, x, state, true);
    return tf.tidy(() => {
      const { h, c } = state ?? zerosState(x.shape[0], outputSizeOf(this.config), this.config.hiddenSize);
      if (c === undefined) throw new ArgumentError('state.c', 'a cell state for an LSTM', 'undefined');
      return lstmStep(prepareLstm(this.weights), x, h, c, null);
    });
  }

  /** The weights by PyTorch LSTMCell names. */
  parameters(): Record<string, tf.Variable> {
    return parametersOf(this.weights);
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of Object.values(this.weights)) v.dispose();
  }
}
