import type * as tf from '@tensorflow/tfjs-core';
import type { TaskId } from '../grid.js';
import type { SpeedRunRequest } from '../measure-speed.js';
import type { Budget, EvaluationSets, SeedSpeed } from '../results.js';
import type { ModelKind } from '../sizing.js';
import type { SeedRunOutcome, SeedRunRequest } from '../run-compare.js';
import type { TrainStream } from './train-stream.js';

/** How a task's sequences enter the model: token ids through an embedding, or float features. */
export type TaskInput =
  | { readonly kind: 'tokens'; readonly vocabSize: number; readonly embeddingDim: number }
  | { readonly kind: 'features'; readonly inputSize: number };

/** The model a task needs around the recurrent layer. */
export interface TaskModelSpec {
  readonly input: TaskInput;
  readonly outputSize: number;
  /** 'none' = an output per time step (language models). */
  readonly pooling: 'last' | 'mean' | 'none';
  /** A bidirectional recurrent stack (default false). */
  readonly bidirectional?: boolean;
}

/** A model as the tasks see it: a forward pass from a batch to logits/values. The caller disposes the output. */
export type Predict = (x: tf.Tensor, lengths?: tf.Tensor1D) => tf.Tensor;

/** A task's score of a model: the headline metric and secondary ones by name. */
export interface TaskScore {
  readonly metric: number;
  readonly extras: Readonly<Record<string, number>>;
}

/** A task with its data loaded, shared by every model and seed of a run. */
export interface PreparedTask {
  readonly model: TaskModelSpec;
  /** The trainer's loss: softmax cross-entropy on logits, or mean squared error. */
  readonly loss: 'crossEntropy' | 'mse';
  /** Batches in one pass over the training split (for epoch time). */
  readonly stepsPerEpoch: number;
  /** Time steps of a typical input sequence (latency and throughput inputs, gradient-flow probe). */
  readonly seqLen: number;
  /** A training stream whose order (shuffling, sampling) is decided by `seed` and the epoch alone. */
  trainData(seed: number): TrainStream;
  /** What `evaluate` scores: the whole split or a seeded (stratified, for classes) sample, and its size. */
  readonly evaluation: EvaluationSets;
  /** Scores a model on `evaluation.final`, or with `subset` on `evaluation.curve` (learning curves). */
  evaluate(predict: Predict, options: { readonly subset: boolean }): Promise<TaskScore>;
  /** A representative input batch of `batchSize` sequences for timing inference. The caller disposes it. */
  sampleInput(batchSize: number): { readonly x: tf.Tensor; readonly lengths?: tf.Tensor1D };
  /** One held-out adding-problem example with its two marked steps (the gate heatmap), where the task has one. */
  markedExample?(): { readonly x: tf.Tensor3D; readonly marks: readonly [number, number] };
  /** A fixed batch with targets for the gradient-flow probe (tasks with last-step pooling and MSE). */
  probeBatch?(batchSize: number): { readonly x: tf.Tensor3D; readonly y: tf.Tensor2D };
  /** A task that trains with its own loop (e.g. CTC) measures its seeds itself instead of through `fit`. */
  runSeed?(request: SeedRunRequest): Promise<SeedRunOutcome>;
  /** Measures a seed's speed and memory itself (tasks whose training is not `fit` with `loss`); default: the generic speed phase. */
  runSpeed?(request: SpeedRunRequest): Promise<SeedSpeed>;
  /** Training FLOPs of one step of a model at a hidden size, for models that are not a recurrent stack + head (flops.ts counts those). */
  stepFlops?(kind: ModelKind, hiddenSize: number, batchSize: number): number;
  /** Releases tensors the task holds. */
  dispose(): void;
}

/** A task of the comparison: what it measures, its budgets and how to load its data. */
export interface TaskDefinition {
  readonly id: TaskId;
  readonly title: string;
  /** The data and where it comes from, for the report. */
  readonly data: string;
  readonly metric: { readonly name: string; readonly higherIsBetter: boolean };
  readonly budgets: { readonly quick: Budget; readonly default: Budget };
  /** Run the gradient-flow probe on this task (first seed, equal hidden size); needs `probeBatch`. */
  readonly gradientFlowProbe?: boolean;
  /** The package that provides the data (named in errors when it is missing). */
  readonly requires: string;
  prepare(budget: Budget): Promise<PreparedTask>;
}
