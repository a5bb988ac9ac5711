import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertShape, assertTensor } from '@gated/tensor';
import { type CellConfig, type CellWeights, outputSizeOf } from '../cell-config.js';
import type { RecurrentState } from '../types.js';

/** Zero state for a batch of `batch`: h [B, hSize], c [B, cSize]. */
export function zerosState(batch: number, hSize: number, cSize: number): { h: tf.Tensor2D; c: tf.Tensor2D } {
  return { h: tf.zeros([batch, hSize]), c: tf.zeros([batch, cSize]) };
}

/** Validates a cell step's input and state at the public boundary. */
export function checkStepInput(cfg: CellConfig, x: tf.Tensor2D, state: RecurrentState | undefined, needsC: boolean): void {
  assertTensor('x', x);
  assertShape('x', x.shape, [null, cfg.inputSize]);
  if (state === undefined) return;
  if (typeof state !== 'object' || state === null) throw new ArgumentError('state', 'a { h, c? } state', String(state));
  assertTensor('state.h', state.h);
  const b = x.shape[0];
  assertShape('state.h', state.h.shape, [b, outputSizeOf(cfg)]);
  if (needsC) {
    if (!state.c) throw new ArgumentError('state.c', `a [${b}, ${cfg.hiddenSize}] cell state for an LSTM`, 'undefined');
    assertShape('state.c', state.c.shape, [b, cfg.hiddenSize]);
  }
}

/** The weights as a fresh record in their stable order. */
export function parametersOf(weights: CellWeights): Record<string, tf.Variable> {
  return { ...weights };
}
