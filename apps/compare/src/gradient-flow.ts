import * as tf from '@tensorflow/tfjs-core';
import { gradientFlow as layerGradientFlow, type SequenceModel } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';

/**
 * ‖∂L/∂h_t‖ for t = 1…T of a model with last-step pooling under its MSE loss L = mean((head(h_T) − y)²) (the
 * adding problem): how strongly the loss reaches back to each hidden state, the recurrent path through
 * h_{t+1}, h_{t+2}, … included. Uses @gated/cells' `gradientFlow` probe on the model's recurrent layer with the
 * model's head in the loss, and reports the norm of the whole batch's gradient [B, H] at each step (PyTorch's
 * `h_t.grad.norm()`). Vanishing gradients show as norms that fall geometrically towards t = 1.
 *
 * @example
 * const norms = modelGradientFlow(model, x, y); // x [B, T, F], y [B, 1]; norms[0] is t = 1
 */
export function modelGradientFlow(model: SequenceModel, x: tf.Tensor3D, y: tf.Tensor2D): number[] {
  const c = model.config;
  if (c.vocabSize != null || c.pooling !== 'last' || c.bidirectional) {
    throw new ArgumentError('model', 'a float-input, one-direction model with last-step pooling', JSON.stringify({ vocabSize: c.vocabSize, pooling: c.pooling }));
  }
  const top = c.numLayers - 1;
  const { perExample } = layerGradientFlow(model.rnn, x, {
    loss: (result) => {
      const [, batch, width] = result.hidden.shape;
      const hT = tf.reshape(tf.slice(result.hidden, [top, 0, 0], [1, batch, width]), [batch, width]);
      return tf.mean(tf.squaredDifference(model.head.forward(hT), y));
    },
  });
  const steps = perExample[0]?.length ?? 0;
  return Array.from({ length: steps }, (_, t) => Math.sqrt(perExample.reduce((sum, row) => sum + row[t]! ** 2, 0)));
}
