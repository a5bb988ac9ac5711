import * as tf from '@tensorflow/tfjs-core';
import type { SequenceModel } from '@gated/cells';
import { ArgumentError, withForgetBias } from '@gated/tensor';

const BIAS_IH = /^rnn\.bias_ih_(l\d+(?:_reverse)?)$/;

/**
 * Sets an LSTM's forget-gate bias at initialisation to `value` in every layer and direction (Jozefowicz, Zaremba &
 * Sutskever 2015; Keras' `unitForgetBias`): the forget quarter of `bias_ih` becomes `value` and that of `bias_hh`
 * 0, so b_f = b_if + b_hf = value and the cell starts out keeping its state. Every other weight keeps the cells'
 * PyTorch initialisation. GRU and vanilla RNN have no forget gate and are left as they are.
 */
export function initForgetBias(model: SequenceModel, value: number): void {
  if (!Number.isFinite(value)) throw new ArgumentError('forgetBias', 'a finite number', String(value));
  if (model.config.kind !== 'lstm') return;
  const hidden = model.config.hiddenSize;
  const params = model.parameters();
  for (const [name, ih] of Object.entries(params)) {
    const suffix = BIAS_IH.exec(name)?.[1];
    const hh = suffix === undefined ? undefined : params[`rnn.bias_hh_${suffix}`];
    if (hh === undefined) continue;
    const set = (v: tf.Variable, to: number): void => {
      const next = tf.tensor1d(withForgetBias(v.dataSync() as Float32Array, hidden, to));
      v.assign(next);
      next.dispose();
    };
    set(ih, value);
    set(hh, 0);
  }
}
