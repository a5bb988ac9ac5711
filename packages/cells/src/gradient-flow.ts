import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertTensor, checkOptions } from '@gated/tensor';
import { FORWARD_SPEC } from './layer/layer-options.js';
import { PROBE, type RecurrentLayer } from './layer/recurrent-layer.js';
import { readLengths } from './sequence-lengths.js';
import type { ForwardOptions, SequenceOutput } from './types.js';

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions extends Omit<ForwardOptions, 'training'> {
  /**
   * The loss L whose gradient is measured, from the layer's result. Default: Σ of the top layer's final
   * forward-direction hidden state h_n — the signal the last step sends back through time.
   */
  readonly loss?: (result: SequenceOutput) => tf.Scalar;
}

/** What {@link gradientFlow} measured. */
export interface GradientFlow {
  /** ‖∂L/∂h_t‖₂ per time step t (time order), averaged over the batch's valid sequences at t. */
  readonly norms: readonly number[];
  /** ‖∂L/∂h_t‖₂ per example and step, [B][T]; 0 past an example's length. */
  readonly perExample: readonly (readonly number[])[];
  /** The value of L. */
  readonly loss: number;
}

/**
 * Measures how much gradient reaches each time step: ‖∂L/∂h_t‖ for every t, where h_t is the top layer's
 * forward-direction hidden state. With the default loss (on the final state) this is the vanishing-gradient
 * curve: flat for a well-behaved LSTM/GRU, decaying geometrically backwards in time for a vanilla RNN.
 * Runs the per-step implementation (it needs every h_t as a tape node); training-mode dropout is off.
 *
 * @example
 * const { norms } = gradientFlow(new SimpleRNN({ inputSize: 8, hiddenSize: 32 }), x);
 * // norms[0] ≪ norms[T − 1]
 */
export function gradientFlow(layer: RecurrentLayer, x: tf.Tensor3D, options: GradientFlowOptions = {}): GradientFlow {
  const { training: _, ...forwardSpec } = FORWARD_SPEC;
  checkOptions('gradientFlow', options, { ...forwardSpec, loss: 'function' });
  assertTensor('x', x);
  if (x.rank !== 3) throw new ArgumentError('x', 'a rank-3 tensor', `shape [${x.shape.join(', ')}]`);
  const [batch, steps] = layer.config.batchFirst ? [x.shape[0], x.shape[1]] : [x.shape[1], x.shape[0]];
  const { loss: lossFn, ...forwardOptions } = options;
  const top = (layer.config.numLayers - 1) * layer.directions;
  const defaultLoss = (r: SequenceOutput): tf.Scalar => tf.sum(tf.slice(r.hidden, [top, 0, 0], [1, batch, r.hidden.shape[2]]));
  const probes = Array.from({ length: steps }, () => tf.zeros([batch, layer.outputSize]) as tf.Tensor2D);
  try {
    const f = (...deltas: tf.Tensor[]): tf.Scalar =>
      tf.tidy(() => (lossFn ?? defaultLoss)(layer[PROBE](x, forwardOptions, deltas as tf.Tensor2D[])));
    const { value, grads } = tf.valueAndGrads(f)(probes);
    const perExample: number[][] = Array.from({ length: batch }, () => new Array<number>(steps).fill(0));
    const lengths = readLengths(options.lengths, batch, steps) ?? new Int32Array(batch).fill(steps);
    const norms: number[] = [];
    for (const [t, grad] of grads.entries()) {
      const g = grad.dataSync();
      const width = g.length / batch;
      let sum = 0;
      let valid = 0;
      for (const [b, row] of perExample.entries()) {
        let sq = 0;
        for (const v of g.subarray(b * width, (b + 1) * width)) sq += v ** 2;
        row[t] = Math.sqrt(sq);
        if (t < (lengths[b] ?? steps)) {
          sum += Math.sqrt(sq);
          valid++;
        }
      }
      norms.push(valid > 0 ? sum / valid : 0);
    }
    const [loss = Number.NaN] = value.dataSync();
    tf.dispose([value, ...grads]);
    return { norms, perExample, loss };
  } finally {
    tf.dispose(probes);
  }
}
