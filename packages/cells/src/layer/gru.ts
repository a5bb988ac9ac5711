import { RecurrentLayer } from './recurrent-layer.js';
import type { RecurrentLayerOptions } from '../types.js';

/**
 * A multi-layer, optionally bidirectional GRU with PyTorch's semantics and weight names (gates r, z, n;
 * h_t = (1−z)⊙n + z⊙h_{t−1}). `resetAfter: false` gives Cho et al.'s form (ONNX linear_before_reset=0).
 *
 * @example
 * const gru = new GRU({ inputSize: 32, hiddenSize: 128 });
 * const { output, hidden } = gru.forward(x); // x [B, T, 32] → output [B, T, 128], hidden [1, B, 128]
 */
export class GRU extends RecurrentLayer {
  /** Creates the layer with PyTorch's default initialisation drawn from `options.seed`. */
  constructor(options: RecurrentLayerOptions) {
    super('gru', options);
  }
}
