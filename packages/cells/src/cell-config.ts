import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type Rng, recurrentUniform } from '@gated/tensor';
import { GATE_COUNT, type RecurrentKind } from './recurrent-vocabulary.js';

/** What one cell (one layer, one direction) computes; resolved from the layer options. */
export interface CellConfig {
  readonly kind: RecurrentKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  /** LSTM projection size, 0 = none. */
  readonly projSize: number;
  readonly peepholes: boolean;
  readonly resetAfter: boolean;
  readonly nonlinearity: 'tanh' | 'relu';
}

/** A cell's weights under PyTorch's short names (`weight_ih`, `weight_hh`, `bias_ih`, …). */
export type CellWeights = Readonly<Record<string, tf.Variable>>;

/** The weight `name` of a cell; a cell without it (e.g. `weight_ih` missing from a hand-made record) is an error naming it. */
export function weightOf(weights: CellWeights, name: string): tf.Variable {
  const weight = weights[name];
  if (weight === undefined) throw new ArgumentError(name, `the weight ${name}`, 'none');
  return weight;
}

/** Size of h (the recurrent output): projSize when an LSTM projects, else hiddenSize. */
export const outputSizeOf = (cfg: CellConfig): number => (cfg.projSize > 0 ? cfg.projSize : cfg.hiddenSize);

/** The weights of one cell in PyTorch's order, with their shapes. */
export function cellWeightShapes(cfg: CellConfig): Array<readonly [string, number[]]> {
  const gh = GATE_COUNT[cfg.kind] * cfg.hiddenSize;
  const shapes: Array<readonly [string, number[]]> = [
    ['weight_ih', [gh, cfg.inputSize]],
    ['weight_hh', [gh, outputSizeOf(cfg)]],
  ];
  if (cfg.bias) shapes.push(['bias_ih', [gh]], ['bias_hh', [gh]]);
  if (cfg.projSize > 0) shapes.push(['weight_hr', [cfg.projSize, cfg.hiddenSize]]);
  if (cfg.peepholes) shapes.push(['weight_ci', [cfg.hiddenSize]], ['weight_cf', [cfg.hiddenSize]], ['weight_co', [cfg.hiddenSize]]);
  return shapes;
}

/** Fresh trainable weights with PyTorch's default initialisation U(−1/√H, 1/√H), drawn from `rng`. */
export function createCellWeights(cfg: CellConfig, rng: Rng): CellWeights {
  const init = recurrentUniform(cfg.hiddenSize);
  const weights: Record<string, tf.Variable> = {};
  for (const [name, shape] of cellWeightShapes(cfg)) {
    const value = init(shape, rng);
    weights[name] = tf.variable(value, true);
    value.dispose();
  }
  return weights;
}
