import type * as tf from '@tensorflow/tfjs-core';
import { GatedError } from '@gated/tensor';
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

/** What every prepared task has, whatever kind of model it trains: its data loaded, shared by every model and seed of a run. */
interface PreparedTaskBase {
  /** The recurrent stack + head of the task's models (for an encoder–decoder: its encoder's input and output, recorded in each unit's config). */
  readonly model: TaskModelSpec;
  /** Batches in one pass over the training split (for epoch time). */
  readonly stepsPerEpoch: number;
  /** Time steps of a typical input sequence (latency and throughput inputs, gradient-flow probe). */
  readonly seqLen: number;
  /** A training stream whose order (shuffling, sampling) is decided by `seed` and the epoch alone. */
  trainData(seed: number): TrainStream;
  /** What the task scores: the whole split or a seeded (stratified, for classes) sample, and its size. */
  readonly evaluation: EvaluationSets;
  /** Releases tensors the task holds. */
  dispose(): void;
}

/**
 * A task whose models are @gated/cells `SequenceModel`s (a recurrent stack + head) built by the grid from
 * {@link TaskModelSpec}: trained by `fit` with `loss` (or by the task's own loop, `runSeed`), scored through a
 * forward pass (`evaluate`), timed on `sampleInput`.
 */
export interface RecurrentTask extends PreparedTaskBase {
  readonly kind: 'recurrent';
  /** The trainer's loss: softmax cross-entropy on logits, or mean squared error. */
  readonly loss: 'crossEntropy' | 'mse';
  /** Scores a model on `evaluation.final`, or with `subset` on `evaluation.curve` (learning curves). */
  evaluate(predict: Predict, options: { readonly subset: boolean }): Promise<TaskScore>;
  /** A representative input batch of `batchSize` sequences for timing inference. The caller disposes it. */
  sampleInput(batchSize: number): { readonly x: tf.Tensor; readonly lengths?: tf.Tensor1D };
  /** One held-out adding-problem example with its two marked steps (the gate heatmap), where the task has one. */
  markedExample?(): { readonly x: tf.Tensor3D; readonly marks: readonly [number, number] };
  /** A fixed batch with targets for the gradient-flow probe (tasks with last-step pooling and MSE). */
  probeBatch?(batchSize: number): { readonly x: tf.Tensor3D; readonly y: tf.Tensor2D };
  /** A task that trains its stack with its own loop (e.g. CTC) measures its seeds itself instead of through `fit`. */
  runSeed?(request: SeedRunRequest): Promise<SeedRunOutcome>;
  /** Measures a seed's speed and memory itself (training that is not `fit` with `loss`); default: the generic speed phase. */
  runSpeed?(request: SpeedRunRequest): Promise<SeedSpeed>;
}

/**
 * A task whose models are encoder–decoders (@gated/seq2seq), not a recurrent stack + head: the task builds,
 * trains, scores and times them itself, and counts their FLOPs.
 */
export interface EncoderDecoderTask extends PreparedTaskBase {
  readonly kind: 'encoder-decoder';
  /** The model's shape beyond the hidden size, recorded in results.json (e.g. "…, no input feeding, greedy decoding"). */
  readonly architecture: string;
  /** Trains and scores one seed (the training phase). */
  runSeed(request: SeedRunRequest): Promise<SeedRunOutcome>;
  /** Measures one seed's speed and memory (the speed phase). */
  runSpeed(request: SpeedRunRequest): Promise<SeedSpeed>;
  /** Training FLOPs of one step of a model at a hidden size. */
  stepFlops(kind: ModelKind, hiddenSize: number, batchSize: number): number;
}

/** A task with its data loaded: the grid, the speed and training phases and the workers switch on `kind`. */
export type PreparedTask = RecurrentTask | EncoderDecoderTask;

/** The kinds of {@link PreparedTask}. */
export type TaskKind = PreparedTask['kind'];

/** A task of a kind a command cannot run (e.g. `gated train`, which trains a recurrent stack with `fit`). */
export class TaskKindError extends GatedError<{ readonly task: string; readonly expected: TaskKind; readonly actual: TaskKind }> {
  constructor(task: string, expected: TaskKind, actual: TaskKind) {
    super('GATED_TASK_KIND', `task "${task}": expected a ${expected} task, found a ${actual} task`, { task, expected, actual });
  }
}

/** `task` as a {@link RecurrentTask}, or a {@link TaskKindError} naming it. */
export function recurrentTask(task: PreparedTask, id: string): RecurrentTask {
  if (task.kind !== 'recurrent') throw new TaskKindError(id, 'recurrent', task.kind);
  return task;
}

/** A task of the comparison: what it measures, its budgets and how to load its data (a task of kind `T`). */
export interface TaskDefinition<T extends PreparedTask = PreparedTask> {
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
  prepare(budget: Budget): Promise<T>;
}
