import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { type CellConfig, type CellWeights, outputSizeOf } from '../cell-config.js';
import type { DirectionResult } from '../direction-result.js';
import { gruStep, prepareGru } from './gru-cell.js';
import { lstmStep, prepareLstm } from './lstm-cell.js';
import { prepareRnn, rnnStep } from './simple-rnn-cell.js';

/**
 * The `step` implementation of one direction of one layer: one tfjs op graph per time step, differentiated by tfjs
 * autodiff. `probe[t]`, when given, is added to h_t so that ∂L/∂probe[t] = ∂L/∂h_t (see gradientFlow).
 */
export function stepDirection(
  cfg: CellConfig,
  w: CellWeights,
  xs: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D | null,
  mask: tf.Tensor3D | null,
  reverse: boolean,
  rd: Float32Array | null,
  probe: readonly tf.Tensor2D[] | null,
): DirectionResult {
  const steps = xs.shape[0];
  const batch = xs.shape[1];
  const P = outputSizeOf(cfg);
  const xt = tf.unstack(xs) as tf.Tensor2D[];
  const mt = mask ? (tf.unstack(mask) as tf.Tensor2D[]) : null;
  const rdMask = rd ? tf.tensor2d(rd, [batch, P]) : null;
  const step = stepFunction(cfg, w, rdMask);
  let h = h0;
  let c = c0;
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const x = xt[t];
    if (x === undefined) throw new ArgumentError('xs', `${steps} time steps`, `no step ${t}`);
    const next = step(x, h, c);
    let hNew = next.h;
    const cNew = next.c;
    const p = probe?.[t];
    if (p) hNew = tf.add(hNew, p) as tf.Tensor2D;
    const m = mt?.[t];
    if (m) {
      // Past a sequence's length the state is carried unchanged and the output is zero (packed sequences).
      const keep = tf.sub(1, m);
      const out = tf.mul(hNew, m) as tf.Tensor2D;
      outputs[t] = out;
      h = tf.add(out, tf.mul(h, keep)) as tf.Tensor2D;
      if (cNew && c) c = tf.add(tf.mul(cNew, m), tf.mul(c, keep)) as tf.Tensor2D;
    } else {
      outputs[t] = hNew;
      h = hNew;
      if (cNew) c = cNew;
    }
  }
  return { output: tf.stack(outputs) as tf.Tensor3D, h, c };
}

type StepFunction = (x: tf.Tensor2D, h: tf.Tensor2D, c: tf.Tensor2D | null) => { h: tf.Tensor2D; c: tf.Tensor2D | null };

/** One step of the cell `cfg` describes, its weights prepared once per direction. */
function stepFunction(cfg: CellConfig, w: CellWeights, rdMask: tf.Tensor2D | null): StepFunction {
  if (cfg.kind === 'lstm') {
    const lstm = prepareLstm(w);
    return (x, h, c) => {
      if (c === null) throw new ArgumentError('c0', 'an LSTM cell state', 'null');
      return lstmStep(lstm, x, h, c, rdMask);
    };
  }
  if (cfg.kind === 'gru') {
    const gru = prepareGru(w, cfg.resetAfter);
    return (x, h) => ({ h: gruStep(gru, x, h, rdMask), c: null });
  }
  const rnn = prepareRnn(w, cfg.nonlinearity);
  return (x, h) => ({ h: rnnStep(rnn, x, h, rdMask), c: null });
}
