import { RecurrentLayer } from './recurrent-layer.js';
import type { RecurrentLayerOptions } from '../types.js';

/**
 * A multi-layer, optionally bidirectional LSTM with PyTorch's semantics and weight names (`weight_ih_l0`,
 * `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, `weight_hr_l0` with projSize, `_reverse` for the backward
 * direction). Gates i, f, g, o; c_t = f⊙c_{t−1} + i⊙g; h_t = o⊙tanh(c_t).
 *
 * @example
 * const lstm = new LSTM({ inputSize: 32, hiddenSize: 128, numLayers: 2, bidirectional: true });
 * const { output, hidden, cell } = lstm.forward(x, { lengths: [50, 20] }); // x [2, 50, 32]
 * // output [2, 50, 256]; hidden, cell [4, 2, 128]
 */
export class LSTM extends RecurrentLayer {
  /** Creates the layer with PyTorch's default initialisation drawn from `options.seed`. */
  constructor(options: RecurrentLayerOptions) {
    super('lstm', options);
  }
}
