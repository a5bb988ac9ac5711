import type * as tf from '@tensorflow/tfjs-core';
import type { RngState } from '@gated/tensor';

/** Options the trainer passes to {@link TrainableModel.forward}. */
export interface TrainForwardOptions<S> {
  /** Valid length of each sequence, int32 [B]. */
  readonly lengths?: tf.Tensor1D;
  /** State to start from (stateful training and truncated BPTT carry it between calls). */
  readonly initialState?: S;
  /** True while fitting (dropout on), false for validation. */
  readonly training?: boolean;
}

/**
 * What `fit` needs from a model: @gated/cells' `SequenceModel` is one, and so is any object with the same
 * shape. `forward` maps x `[B, T, F]` (or token ids `[B, T]`) to `output` — logits/values `[B, out]`
 * (sequence-to-one) or `[B, T, out]` (per time step) — and the final recurrent `state`, an object of tensors
 * (e.g. `{ hidden, cell }`) that can be fed back as `initialState`. `forward` must not dispose its inputs;
 * the trainer disposes what it returns.
 *
 * For exact resume with dropout, a model exposes its dropout generator through `getRngState`/`setRngState`.
 */
// biome-ignore lint/suspicious/noExplicitAny: the state type is the model's own; fit treats it as opaque tensors
export interface TrainableModel<S = any> {
  forward(x: tf.Tensor, options?: TrainForwardOptions<S>): { readonly output: tf.Tensor; readonly state?: S };
  /** Trainable weights by stable name (e.g. 'rnn.weight_ih_l0'); the same variables on every call. */
  parameters(): Record<string, tf.Variable>;
  /** The model's resolved options, stored in checkpoints and compared on resume. */
  readonly config?: object;
  /** State of the model's own random stream (dropout masks). */
  getRngState?(): RngState;
  /** Restores {@link TrainableModel.getRngState}. */
  setRngState?(state: RngState): void;
}
