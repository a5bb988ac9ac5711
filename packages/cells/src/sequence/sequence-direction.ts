import * as tf from '@tensorflow/tfjs-core';
import { type CellConfig, type CellWeights, cellWeightShapes, outputSizeOf } from '../cell-config.js';
import { gruSequence } from './gru-sequence.js';
import { ArgumentError } from '@gated/tensor';
import { type DirectionResult, row } from '../direction-result.js';
import { item } from '../list-item.js';
import type { SequenceContext, SequenceRun } from './sequence-math.js';
import { lstmSequence } from './lstm-sequence.js';
import { rnnSequence } from './rnn-sequence.js';

const BY_KIND: Readonly<Record<CellConfig['kind'], (ctx: SequenceContext) => SequenceRun>> = {
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
    for (const [b, length] of lengths.entries()) for (let t = 0; t < length; t++) alive[t * B + b] = 1;
  }
  const weightOf = (record: Readonly<Record<string, tf.Tensor>>, n: string): tf.Tensor => {
    const w = record[n];
    if (w === undefined) throw new ArgumentError('weights', `a weight named ${n}`, Object.keys(record).join(', '));
    return w;
  };
  const inputs: tf.Tensor[] = [xs, ...names.map((n) => weightOf(weights, n)), h0, ...(c0 ? [c0] : [])];
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const tensors = args as tf.Tensor[];
    const x2 = tf.reshape(item(tensors, 0, 'x'), [T * B, I]) as tf.Tensor2D;
    const w = Object.fromEntries(names.map((n, i) => [n, item(tensors, i + 1, n)]));
    const run = BY_KIND[cfg.kind]({
      cfg,
      T,
      B,
      I,
      reverse,
      alive,
      rd,
      x2,
      w,
      h0: item(tensors, names.length + 1, 'h0').dataSync() as Float32Array,
      c0: c0 ? (item(tensors, names.length + 2, 'c0').dataSync() as Float32Array) : null,
    });
    save([x2, ...names.map((n) => weightOf(w, n))]);
    return {
      value: tf.tensor3d(run.value, [T, B, run.width]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dyArr = (Array.isArray(dy) ? item(dy, 0, 'dy') : dy).dataSync() as Float32Array;
        const sw = Object.fromEntries(names.map((n, i) => [n, item(saved, i + 1, n)]));
        const g = run.backward(dyArr, saved[0] as tf.Tensor2D, sw);
        const grads: tf.Tensor[] = [tf.reshape(g.dx2, [T, B, I]), ...names.map((n) => weightOf(g.dw, n)), tf.tensor2d(g.dh0, [B, P])];
        if (c0) {
          if (g.dc0 === null) throw new ArgumentError('dc0', 'the LSTM cell-state gradient', 'null');
          grads.push(tf.tensor2d(g.dc0, [B, H]));
        }
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

/**
 * The `sequence` implementation of one direction of one layer: {@link runSequenceDirection}, the output masked
 * past each length and the final state read at T−1 (forward) or 0 (reverse).
 */
export function sequenceDirection(
  cfg: CellConfig,
  w: CellWeights,
  xs: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D | null,
  mask: tf.Tensor3D | null,
  lengths: Int32Array | null,
  reverse: boolean,
  rd: Float32Array | null,
): DirectionResult {
  const { states, cells } = runSequenceDirection(cfg, w, xs, h0, c0, lengths, reverse, rd);
  const steps = xs.shape[0];
  const last = reverse ? 0 : steps - 1;
  const output = mask ? (tf.mul(states, mask) as tf.Tensor3D) : states;
  return { output, h: row(states, last), c: cells ? row(cells, last) : null };
}
