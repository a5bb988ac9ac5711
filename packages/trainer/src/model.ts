import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type Dataset, type RngState, describeValue } from '@gated/tensor';

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
 *
 * `S` is the model's state type; `fit` treats it as opaque (it only finds the tensors inside), so a model with
 * any state type is a `TrainableModel` (the default, `unknown`).
 */
export interface TrainableModel<S = unknown> {
  forward(x: tf.Tensor, options?: TrainForwardOptions<S>): { readonly output: tf.Tensor; readonly state?: S };
  /** Trainable weights by stable name (e.g. 'rnn.weight_ih_l0'); the same variables on every call. */
  parameters(): Record<string, tf.Variable>;
  /** The model's resolved options, stored in checkpoints and compared on resume. */
  readonly config?: object;
  /** State of the model's own random stream (dropout masks). */
  getRngState?(): RngState;
  /** Restores {@link TrainableModel.getRngState}. */
  setRngState?(state: RngState): void;
  /**
   * Optional, with {@link TrainableModel.head}: `forward` without its final Linear layer — the features that layer
   * reads and the state — so that `forward(x).output` is `features · head.weightᵀ + head.bias`. With `crossEntropy`
   * on class ids, `fit` then runs the head, the softmax and the loss as one op (@gated/cells' `linearCrossEntropy`)
   * instead of materialising the logits. @gated/cells' `SequenceModel` has both.
   */
  forwardFeatures?(x: tf.Tensor, options?: TrainForwardOptions<S>): { readonly features: tf.Tensor; readonly state?: S };
  /** The final Linear layer `forwardFeatures` feeds: weight [out, in] (PyTorch layout), bias [out] or null. */
  readonly head?: { readonly weight: tf.Variable; readonly bias: tf.Variable | null };
}

/** Throws an ArgumentError unless `model` has `forward` and `parameters` (a plain object or tensor is not a model). */
export function assertModel(argument: string, model: unknown): asserts model is TrainableModel {
  const m = model as Partial<TrainableModel> | null;
  if (typeof m !== 'object' || m === null || typeof m.forward !== 'function' || typeof m.parameters !== 'function') {
    throw new ArgumentError(argument, 'a model with forward() and parameters() (e.g. a SequenceModel)', describeValue(model));
  }
}

/** Throws an ArgumentError unless `data` is an async iterable of batches. */
export function assertDataset(argument: string, data: unknown): asserts data is Dataset {
  const d = data as { [Symbol.asyncIterator]?: unknown } | null;
  if (typeof d !== 'object' || d === null || typeof d[Symbol.asyncIterator] !== 'function') {
    throw new ArgumentError(argument, 'a dataset (an async iterable of { x, y } batches)', describeValue(data));
  }
}
