import { ArgumentError, assertInteger } from '@gated/tensor';
import type { ModelKind, ModelShape } from './sizing.js';

/**
 * How FLOPs are counted (stated in the report): a multiply-add is 2 FLOPs, every other elementwise operation —
 * an add, a multiply, a sigmoid, a tanh — is 1. Embedding lookups are gathers (0 FLOPs). A training step is
 * 3 × the forward FLOPs: the backward pass of every matrix product is two products of the same size (one for
 * the input gradient, one for the weight gradient), and elementwise backward work is counted by the same
 * factor. The loss and the optimizer update are left out (they do not grow with sequence length).
 */
export const FLOP_CONVENTION =
  'FLOPs: a multiply-add counts 2, any other elementwise op (add, multiply, sigmoid, tanh) 1; a training step is 3 × its forward pass (backward = 2 products per forward product); loss and optimizer update excluded; GRU in its PyTorch (reset-after) form.';

/**
 * Forward FLOPs of one time step of one direction of one recurrent layer for one sequence, with `input`
 * features in, hidden size H and h of size P (= H unless an LSTM projects):
 * - LSTM: products 2·4H·(input + P), adding them 4H, biases b_ih + b_hh 8H, gates 3 σ + 2 tanh + c_t = f⊙c + i⊙g
 *   (3) + h = o⊙tanh(c) (1) = 9H, plus the projection 2·P·H when projSize > 0.
 * - GRU: products 2·3H·(input + H), adding the r and z parts 2H, biases 6H, then 2 σ + tanh + r⊙(W_hn h) +
 *   (W_in x + …) + h = (1−z)⊙n + z⊙h (4) = 9H.
 * - RNN: products 2H·(input + H), adding them H, biases 2H, tanh H.
 */
export function cellStepFlops(kind: ModelKind, input: number, hiddenSize: number, projSize = 0): number {
  const h = hiddenSize;
  const p = projSize > 0 ? projSize : h;
  switch (kind) {
    case 'lstm':
      return 2 * 4 * h * (input + p) + 4 * h + 8 * h + 9 * h + (projSize > 0 ? 2 * p * h : 0);
    case 'gru':
      return 2 * 3 * h * (input + h) + 2 * h + 6 * h + 9 * h;
    case 'rnn':
      return 2 * h * (input + h) + h + 2 * h + h;
    default:
      throw new ArgumentError('kind', "'lstm', 'gru' or 'rnn'", String(kind));
  }
}

/** A model shape with how it is run: sequence length, batch and how the head reads the recurrent output. */
export interface FlopShape extends ModelShape {
  readonly seqLen: number;
  readonly batchSize: number;
  readonly pooling: 'last' | 'mean' | 'none';
}

/**
 * Forward FLOPs of a whole sequence model on one batch: every layer and direction over `seqLen` steps
 * ({@link cellStepFlops}), then the Linear head (2·out·F + out bias adds) once per sequence ('last'), once per
 * sequence after averaging T·F values ('mean': T·F adds and F divisions), or at every step ('none').
 */
export function forwardFlops(shape: FlopShape): number {
  assertInteger('seqLen', shape.seqLen, 1);
  assertInteger('batchSize', shape.batchSize, 1);
  const embedded = shape.vocabSize !== undefined;
  const inputSize = embedded ? (shape.embeddingDim ?? 0) : (shape.inputSize ?? 0);
  if (inputSize <= 0) throw new ArgumentError('inputSize', 'a positive input size (or vocabSize with embeddingDim)', String(inputSize));
  const layers = shape.numLayers ?? 1;
  const dirs = shape.bidirectional === true ? 2 : 1;
  const proj = shape.kind === 'lstm' ? (shape.projSize ?? 0) : 0;
  const hOut = proj > 0 ? proj : shape.hiddenSize;
  let perStep = 0;
  for (let layer = 0; layer < layers; layer++) {
    perStep += dirs * cellStepFlops(shape.kind, layer === 0 ? inputSize : hOut * dirs, shape.hiddenSize, proj);
  }
  const features = hOut * dirs;
  const head = shape.outputSize > 0 ? 2 * shape.outputSize * features + shape.outputSize : 0;
  const T = shape.seqLen;
  const readout = shape.pooling === 'none' ? T * head : shape.pooling === 'mean' ? T * features + head : head;
  return shape.batchSize * (T * perStep + readout);
}

/** FLOPs of one training step (forward, backward) on one batch: 3 × {@link forwardFlops}. */
export function trainStepFlops(shape: FlopShape): number {
  return 3 * forwardFlops(shape);
}

/**
 * Steps that give a model the same training FLOPs as `referenceSteps` steps of the reference model (rounded to
 * the nearest step). A GRU at the LSTM's hidden size gets about 4/3 of its steps.
 */
export function equalComputeSteps(referenceSteps: number, referenceStepFlops: number, stepFlops: number): number {
  assertInteger('referenceSteps', referenceSteps, 1);
  if (!(referenceStepFlops > 0 && stepFlops > 0)) throw new ArgumentError('stepFlops', 'positive FLOP counts', `${referenceStepFlops}, ${stepFlops}`);
  return Math.max(1, Math.round((referenceSteps * referenceStepFlops) / stepFlops));
}
