import { RecurrentLayer } from './recurrent-layer.js';
import type { RecurrentLayerOptions } from '../types.js';

/**
 * A multi-layer, optionally bidirectional vanilla (Elman) RNN, PyTorch's `nn.RNN`:
 * h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (or relu with `nonlinearity: 'relu'`).
 *
 * @example
 * const rnn = new SimpleRNN({ inputSize: 32, hiddenSize: 128 });
 * const { output, hidden } = rnn.forward(x);
 */
export class SimpleRNN extends RecurrentLayer {
  /** Creates the layer with PyTorch's default initialisation drawn from `options.seed`. */
  constructor(options: RecurrentLayerOptions) {
    super('rnn', options);
  }
}
