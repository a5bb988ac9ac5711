import * as tf from '@tensorflow/tfjs-core';
import { type CellConfig, type CellWeights, cellWeightShapes, outputSizeOf } from './cell-config.js';
import { gruSequence } from './gru-sequence.js';
import type { KernelContext, KernelRun } from './kernel-math.js';
import { lstmSequence } from './lstm-sequence.js';
import { rnnSequence } from './rnn-sequence.js';

const KERNELS: Readonly<Record<CellConfig['kind'], (ctx: KernelContext) => KernelRun>> = {
  lstm: lstmSequence,
  gru: gruSequence,
  rnn: rnnSequence,
};

/**
 * One direction of one layer over the whole sequence as a single tfjs op with a custom gradient
 * (tf.customGrad): autodiff sees one node instead of ~20 per time step.
 *
 * Returns the carried states in time order — `states` [T, B, P] and, for LSTM, `cells` [T, B, H] — where a
 * step past a sequence's length repeats the previous state. The caller masks the output and reads the final
 * state at T−1 (forward) or 0 (reverse).
 */
export function runSequenceDirection(
  cfg: CellConfig,
  weights: CellWeights,
  xs: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D | null,
  lengths: Int32Array | null,
  reverse: boolean,
  rd: Float32Array | null,
): { states: tf.Tensor3D; cells: tf.Tensor3D | null } {
  const [T, B, I] = xs.shape;
  const P = outputSizeOf(cfg);
  const H = cfg.hiddenSize;
  const names = cellWeightShapes(cfg).map(([n]) => n);
  let alive: Uint8Array | null = null;
  if (lengths) {
    alive = new Uint8Array(T * B);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) alive[t * B + b] = t < lengths[b]! ? 1 : 0;
  }
  const inputs: tf.Tensor[] = [xs, ...names.map((n) => weights[n]!), h0, ...(c0 ? [c0] : [])];
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const tensors = args as tf.Tensor[];
    const x2 = tf.reshape(tensors[0]!, [T * B, I]) as tf.Tensor2D;
    const w = Object.fromEntries(names.map((n, i) => [n, tensors[i + 1]!]));
    const run = KERNELS[cfg.kind]({
      cfg,
      T,
      B,
      I,
      reverse,
      alive,
      rd,
      x2,
      w,
      h0: tensors[names.length + 1]!.dataSync() as Float32Array,
      c0: c0 ? (tensors[names.length + 2]!.dataSync() as Float32Array) : null,
    });
    save([x2, ...names.map((n) => w[n]!)]);
    return {
      value: tf.tensor3d(run.value, [T, B, run.width]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dyArr = (Array.isArray(dy) ? dy[0]! : dy).dataSync() as Float32Array;
        const sw = Object.fromEntries(names.map((n, i) => [n, saved[i + 1]!]));
        const g = run.backward(dyArr, saved[0] as tf.Tensor2D, sw);
        const grads: tf.Tensor[] = [tf.reshape(g.dx2, [T, B, I]), ...names.map((n) => g.dw[n]!), tf.tensor2d(g.dh0, [B, P])];
        if (c0) grads.push(tf.tensor2d(g.dc0!, [B, H]));
        return grads;
      },
    };
  });
  const value = op(...inputs) as tf.Tensor3D;
  if (cfg.kind !== 'lstm') return { states: value, cells: null };
  return {
    states: tf.slice(value, [0, 0, 0], [T, B, P]),
    cells: tf.slice(value, [0, 0, P], [T, B, H]),
  };
}
