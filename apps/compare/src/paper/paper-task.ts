import type * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '@gated/tensor';
import type { ModelKind } from '../sizing.js';
import type { PaperSeedResult } from './paper-results.js';
import type { Predict, TaskModelSpec } from '../tasks/task.js';

/** Task ids of the `paper` suite, in report order. */
export const PAPER_TASK_IDS = ['music-jsb', 'memory-adding', 'memory-copy', 'text-g2p', 'text-g2p-plain'] as const;
/** A task of the `paper` suite. */
export type PaperTaskId = (typeof PAPER_TASK_IDS)[number];

/**
 * The tasks `gated compare --suite paper` runs without `--tasks`: the published tables of music-jsb, memory-adding
 * and memory-copy, about an hour of CPU with 5 seeds. The G2P tasks run only when named (`--tasks text-g2p,…`): at
 * the papers' size (H 256 × 2 layers, batch 128) one training step costs 4–9 CPU-seconds on a 2-core machine, so
 * one epoch of CMUdict takes hours per run and no share of an hour buys a meaningful G2P number.
 */
export const PAPER_DEFAULT_TASKS: readonly PaperTaskId[] = ['music-jsb', 'memory-adding', 'memory-copy'];

/** A split a paper task is scored on. */
export type EvalSplit = 'valid' | 'test';

/** Training budget and protocol of one paper task (per model and seed). */
export interface PaperBudget {
  readonly batchSize: number;
  /** Learning rates tried on the validation split (Adam); the best one trains every seed. */
  readonly learningRates: readonly number[];
  /** Optimizer steps of each learning-rate candidate (seed 0, with early stopping). */
  readonly searchSteps: number;
  /** Most optimizer steps of a seed's run; early stopping may end it sooner. */
  readonly maxSteps: number;
  /** Steps between validation evaluations (the checkpoints early stopping chooses from). */
  readonly evalEvery: number;
  /** Validation evaluations without improvement before training stops. */
  readonly patience: number;
  /** Rescale the gradient to this global L2 norm when it is larger. */
  readonly clipNorm: number;
  /** Sequence length T (adding problem) or delay T (copy memory); absent for data with its own lengths. */
  readonly length?: number;
  /** Validation / test sequences of generated tasks (the music task uses its fixed split). */
  readonly validSize?: number;
  readonly testSize?: number;
}

/**
 * CPU cost of one model at its task's `full` budget (batch, length and size as trained), measured with one native
 * kernel thread as a suite run trains (`tools/paper/step-cost.ts`: process CPU time, the median of 20 steps after
 * 3 warm-up steps, on a shared 2-core machine): what `estimateUnitCost` (paper-cost.ts) sizes shards with.
 */
export interface PaperCost {
  /** CPU milliseconds of one optimizer step. */
  readonly stepMs: number;
  /** CPU milliseconds of one evaluation of the validation split, and of the test split. */
  readonly validEvalMs: number;
  readonly testEvalMs: number;
}

/** A model of the paper's table: its hidden size, the published test metric (null when not published), its cost. */
export interface PaperModel {
  readonly hiddenSize: number;
  readonly published: number | null;
  readonly cost: PaperCost;
}

/** A paper task with its data loaded (or generated), shared by every model and seed. */
export interface PreparedPaperTask {
  readonly model: TaskModelSpec;
  /** Time steps of the task's sequences (T + 20 for copy memory). */
  readonly seqLen: number;
  /** Training batches, an endless stream whose order is decided by `seed`. The consumer disposes each batch. */
  trainBatches(seed: number): AsyncIterator<Batch>;
  /** The training loss of a forward pass (differentiated); `output` is the model's output on `batch.x`. */
  loss(output: tf.Tensor, batch: Batch): tf.Scalar;
  /** The paper's metric of a model on a split (lower is better for every paper task). */
  evaluate(predict: Predict, split: EvalSplit): Promise<number>;
  /**
   * A task whose models are not a recurrent stack + head (the G2P encoder–decoders) trains a seed itself, with
   * the same protocol: Adam, clipping, validation every `evalEvery` steps, early stopping, the test score of the
   * best-validation checkpoint. The members above then serve no training.
   */
  trainSeed?(request: PaperSeedRequest): Promise<PaperSeedResult & { readonly params: number }>;
  dispose(): void;
}

/** What a task's own {@link PreparedPaperTask.trainSeed} gets. */
export interface PaperSeedRequest {
  readonly kind: ModelKind;
  readonly hiddenSize: number;
  readonly budget: PaperBudget;
  readonly learningRate: number;
  readonly maxSteps: number;
  readonly seed: number;
  /** Score the test split too (false during the learning-rate search, which reads validation only). */
  readonly withTest: boolean;
  readonly log: (line: string) => void;
}

/** A task of the `paper` suite: the published table it reproduces, its model sizes, budgets and data. */
export interface PaperTaskDefinition {
  readonly id: PaperTaskId;
  readonly title: string;
  /** The publication and table the numbers come from. */
  readonly source: string;
  readonly data: string;
  readonly metric: { readonly name: string; readonly higherIsBetter: false };
  /** About how many parameters the paper's models have. */
  readonly paperParams: number;
  readonly models: Readonly<Partial<Record<ModelKind, PaperModel>>>;
  readonly budgets: { readonly quick: PaperBudget; readonly full: PaperBudget };
  /** The package that provides the data (named in errors when it is missing). */
  readonly requires: string;
  prepare(budget: PaperBudget): Promise<PreparedPaperTask>;
}
