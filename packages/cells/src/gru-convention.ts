import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertInteger, assertObject } from '@gated/tensor';
import type { GruUpdateGate } from './recurrent-vocabulary.js';

const GRU_WEIGHT = /(^|\.)(weight_ih|weight_hh|bias_ih|bias_hh)(_l\d+)?(_reverse)?$/;

/**
 * Converts GRU weights between the two ways of writing the update gate ({@link GruUpdateGate}):
 * - `torch` — PyTorch, cuDNN, ONNX, Keras and Cho et al. (2014), what gated stores: h_t = (1−z)⊙n + z⊙h_{t−1};
 * - `chung2014` — Chung et al. (2014): h_t = (1−z')⊙h_{t−1} + z'⊙n.
 *
 * z' = 1 − z = σ(−a_z), so the conversion negates the z block (rows H..2H, gate order r, z, n) of every
 * `weight_ih*`, `weight_hh*`, `bias_ih*` and `bias_hh*`; it is its own inverse. Other keys (a model's head,
 * embedding) are copied unchanged. The caller owns (and disposes) the returned tensors.
 *
 * @example
 * gru.loadTorchStateDict(flipGruUpdateGate(chungWeights, 128)); // import weights trained in the chung2014 form
 */
export function flipGruUpdateGate(record: Readonly<Record<string, tf.Tensor>>, hiddenSize: number): Record<string, tf.Tensor> {
  assertInteger('hiddenSize', hiddenSize, 1);
  const H = hiddenSize;
  assertObject('flipGruUpdateGate record', record, 'a record of PyTorch-named GRU tensors');
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(record)) {
    if (!GRU_WEIGHT.test(name)) {
      out[name] = tf.clone(t);
      continue;
    }
    if (t.shape[0] !== 3 * H) throw new ArgumentError(name, `a GRU weight with 3·hiddenSize = ${3 * H} rows`, `shape [${t.shape.join(', ')}]`);
    out[name] = tf.tidy(() => {
      const sign = tf.concat([tf.ones([H]), tf.fill([H], -1), tf.ones([H])]);
      return tf.mul(t, t.rank === 2 ? tf.reshape(sign, [3 * H, 1]) : sign);
    });
  }
  return out;
}
