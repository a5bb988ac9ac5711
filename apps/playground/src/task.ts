import type { SequenceModel } from '@gated/cells';
import type { Rng } from '@gated/tensor';
import type * as tf from '@tensorflow/tfjs-core';
import type { RunSettings, TensorData } from './protocol.js';

/** A batch of inputs and targets, as tensors the caller disposes. */
export interface TaskBatch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

/** What the playground needs of a task: its model, its data and its loss. */
export interface PlaygroundTask {
  /** A freshly initialised (seeded) model of `kind` for this task. */
  createModel(kind: 'lstm' | 'gru', settings: RunSettings): SequenceModel;
  /** A training batch drawn from `rng`. */
  batch(rng: Rng, settings: RunSettings): TaskBatch;
  /** The scalar loss of the model's output against `y` (inside a tidy). */
  loss(output: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /** A few fixed sequences to look at, with a label per step of each. */
  probe(settings: RunSettings, count: number): { x: TensorData; labels: string[][] };
  /** Width of the features entering the recurrent layer. */
  readonly featureSize: number;
}
