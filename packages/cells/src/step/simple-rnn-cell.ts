import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { type CellConfig, type CellWeights, createCellWeights, weightOf } from '../cell-config.js';
import { checkStepInput, parametersOf } from './cell-common.js';
import type { RecurrentState } from '../types.js';

/** Options of {@link SimpleRNNCell}. */
export interface SimpleRNNCellOptions {
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** Add b_ih and b_hh; default true. */
  readonly bias?: boolean;
  /** `tanh` (default) or `relu`, as PyTorch's RNNCell `nonlinearity`. */
  readonly nonlinearity?: 'tanh' | 'relu';
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/** The weights of one vanilla RNN step, prepared for x·Wᵀ products. */
export interface RNNStepWeights {
  readonly wIhT: tf.Tensor2D;
  readonly wHhT: tf.Tensor2D;
  readonly bias: tf.Tensor1D | null;
  readonly relu: boolean;
}

/** Differentiable views of `w` for {@link rnnStep}; call inside a tidy. */
export function prepareRnn(w: CellWeights, nonlinearity: 'tanh' | 'relu'): RNNStepWeights {
  const bih = w['bias_ih'];
  const bhh = w['bias_hh'];
  return {
    wIhT: tf.transpose(weightOf(w, 'weight_ih')) as tf.Tensor2D,
    wHhT: tf.transpose(weightOf(w, 'weight_hh')) as tf.Tensor2D,
    bias: bih && bhh ? (tf.add(bih, bhh) as tf.Tensor1D) : null,
    relu: nonlinearity === 'relu',
  };
}

/** One vanilla RNN step with tfjs ops. */
export function rnnStep(p: RNNStepWeights, x: tf.Tensor2D, h: tf.Tensor2D, recurrentMask: tf.Tensor2D | null): tf.Tensor2D {
  const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
  // h_t = tanh(W_ih x + b_ih + W_hh h_{t−1} + b_hh)
  let a = tf.add(tf.matMul(x, p.wIhT), tf.matMul(hIn, p.wHhT));
  if (p.bias) a = tf.add(a, p.bias);
  return (p.relu ? tf.relu(a) : tf.tanh(a)) as tf.Tensor2D;
}

/**
 * The vanilla (Elman) RNN cell: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) — the baseline whose
 * vanishing gradients LSTM and GRU fix. PyTorch RNNCell weights (`weight_ih` [H, in], `weight_hh` [H, H]).
 *
 * @example
 * const cell = new SimpleRNNCell({ inputSize: 8, hiddenSize: 16 });
 * const { h } = cell.step(x0);
 */
export class SimpleRNNCell {
  /** What the cell computes, resolved from its options. */
  readonly config: CellConfig;
  /** The weights, by PyTorch RNNCell names. */
  readonly weights: CellWeights;

  /** Creates a cell; `weights` (shared, not copied) are used instead of fresh ones when given. */
  constructor(options: SimpleRNNCellOptions, weights?: CellWeights) {
    assertObject('new SimpleRNNCell options', options, 'an options object { inputSize, hiddenSize, … }');
    checkOptions('new SimpleRNNCell', options, { inputSize: 'integer', hiddenSize: 'integer', bias: 'boolean', nonlinearity: ['tanh', 'relu'], seed: 'integer' });
    assertInteger('inputSize', options.inputSize, 1);
    assertInteger('hiddenSize', options.hiddenSize, 1);
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new ArgumentError('nonlinearity', "'tanh' or 'relu'", String(nonlinearity));
    this.config = {
      kind: 'rnn',
      inputSize: options.inputSize,
      hiddenSize: options.hiddenSize,
      bias: options.bias ?? true,
      projSize: 0,
      peepholes: false,
      resetAfter: true,
      nonlinearity,
    };
    this.weights = weights ?? createCellWeights(this.config, new Rng(options.seed ?? 0));
  }

  /** One step: x_t [B, inputSize] and the previous state (zeros when omitted) → the new { h }. */
  step(x: tf.Tensor2D, state?: RecurrentState): RecurrentState {
    checkStepInput(this.config, x, state, false);
    return tf.tidy(() => {
      const h = state?.h ?? tf.zeros([x.shape[0], this.config.hiddenSize]);
      return { h: rnnStep(prepareRnn(this.weights, this.config.nonlinearity), x, h, null) };
    });
  }

  /** The weights by PyTorch RNNCell names. */
  parameters(): Record<string, tf.Variable> {
    return parametersOf(this.weights);
  }

  /** Frees the weights. */
  dispose(): void {
    for (const v of Object.values(this.weights)) v.dispose();
  }
}
