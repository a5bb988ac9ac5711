import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import type { CellConfig, CellWeights } from '../cell-config.js';
import type { DirectionResult } from '../direction-result.js';
import { fusedGruSequence } from './fused-gru-sequence.js';
import { fusedLstmSequence } from './fused-lstm-sequence.js';
import { fusedRnnSequence } from './fused-rnn-sequence.js';
import type { FusedKernels } from './kernel-choice.js';

/**
 * The `fused` and `native` implementations of one direction of one layer: forward and backward of the whole
 * direction in the compiled kernels (`kernels` says which: the wasm module or the native addon). `xs` and the output
 * are time-major [T, B, ·], or batch-first [B, T, ·] with `batchFirst`.
 */
export function fusedDirection(
  cfg: CellConfig,
  w: CellWeights,
  xs: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D | null,
  lengths: Int32Array | null,
  reverse: boolean,
  rd: Float32Array | null,
  kernels: FusedKernels,
  batchFirst = false,
): DirectionResult {
  const options = { batchFirst, reverse, h0, kernels, ...(lengths ? { lengths } : {}), ...(rd ? { recurrentMask: rd } : {}) };
  const { weight_ih: weightIh, weight_hh: weightHh, bias_ih: biasIh, bias_hh: biasHh } = w;
  if (!weightIh || !weightHh) throw new ArgumentError('weights', 'weight_ih and weight_hh', Object.keys(w).join(', '));
  const common = {
    weightIh: weightIh as tf.Tensor2D,
    weightHh: weightHh as tf.Tensor2D,
    ...(biasIh && biasHh ? { biasIh: biasIh as tf.Tensor1D, biasHh: biasHh as tf.Tensor1D } : {}),
  };
  if (cfg.kind === 'lstm') {
    if (c0 === null) throw new ArgumentError('c0', 'an LSTM cell state', 'null');
    const { weight_hr: weightHr, weight_ci: weightCi, weight_cf: weightCf, weight_co: weightCo } = w;
    const r = fusedLstmSequence(
      xs,
      {
        ...common,
        ...(weightHr ? { weightHr: weightHr as tf.Tensor2D } : {}),
        ...(weightCi && weightCf && weightCo ? { weightCi: weightCi as tf.Tensor1D, weightCf: weightCf as tf.Tensor1D, weightCo: weightCo as tf.Tensor1D } : {}),
      },
      { ...options, c0 },
    );
    return { output: r.output, h: r.h, c: r.c };
  }
  const r = cfg.kind === 'gru' ? fusedGruSequence(xs, common, { ...options, resetAfter: cfg.resetAfter }) : fusedRnnSequence(xs, common, { ...options, nonlinearity: cfg.nonlinearity });
  return { output: r.output, h: r.h, c: null };
}
