import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, type Dataset } from '@gated/tensor';
import { checkpointPath } from '../checkpoint.js';
import { createOptimizer } from '../create-optimizer.js';
import { EmptyDatasetError } from '../errors.js';
import type { MetricName } from '../metrics.js';
import type { TrainableModel } from '../model.js';
import { Optimizer } from '../optimizer.js';
import { type Schedule, constantSchedule } from '../schedule.js';
import { type EarlyStopping, resolveEarlyStopping } from './early-stopping.js';
import { type Callbacks, FIT_DEFAULTS, type FitOptions, type ResolvedOptions } from './fit-options.js';

/** What a run of `fit` works with and never changes: the model's parameters, the options, the optimizer. */
export interface RunContext<S> {
  readonly model: TrainableModel<S>;
  readonly trainData: Dataset;
  readonly options: ResolvedOptions;
  /** Trainable variables by parameter name, in `model.parameters()` order. */
  readonly params: Readonly<Record<string, tf.Variable>>;
  readonly names: readonly string[];
  /** The variables `tf.variableGrads` differentiates, in `names` order. */
  readonly variables: tf.Variable[];
  /** Parameter name of each variable, by the variable's tfjs name (`tf.variableGrads` keys its gradients so). */
  readonly nameOfVariable: ReadonlyMap<string, string>;
  readonly parameterShapes: Readonly<Record<string, readonly number[]>>;
  readonly metrics: MetricName[];
  readonly callbacks: readonly Callbacks[];
  readonly optimizer: Optimizer;
  /** True when `fit` created the optimizer (and so disposes it); an Optimizer instance stays the caller's. */
  readonly ownsOptimizer: boolean;
  readonly baseLearningRate: number;
  readonly schedule: Schedule;
  /** The checkpoint file in `checkpointDir`, if any. */
  readonly checkpointFile: string | undefined;
  readonly earlyStopping: EarlyStopping | undefined;
  /** The model's resolved options, stored in checkpoints and compared on resume. */
  readonly modelConfig: unknown;
  /** Epochs to reach: `epochs`, else 1, or no limit when only `steps` is given. */
  readonly totalEpochs: number;
  readonly maxSteps: number;
}

/**
 * Resolves validated options against the model and data: the parameters (at least one), the optimizer and
 * schedule, early stopping and the limits. Empty datasets are an {@link EmptyDatasetError}.
 */
export function createRunContext<S>(model: TrainableModel<S>, trainData: Dataset, fitOptions: FitOptions): RunContext<S> {
  const options = { ...FIT_DEFAULTS, ...fitOptions } as ResolvedOptions;
  const params = model.parameters();
  const entries = Object.entries(params);
  if (entries.length === 0) throw new ArgumentError('model.parameters()', 'at least one trainable variable', 'none');
  if (trainData.size === 0) throw new EmptyDatasetError('trainData');
  if (options.validationData?.size === 0) throw new EmptyDatasetError('validationData');
  const optimizer =
    options.optimizer instanceof Optimizer
      ? options.optimizer
      : createOptimizer(options.optimizer, {
          ...(options.optimizerOptions ?? {}),
          ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }),
        });
  return {
    model,
    trainData,
    options,
    params,
    names: entries.map(([name]) => name),
    variables: entries.map(([, v]) => v),
    nameOfVariable: new Map(entries.map(([name, v]) => [v.name, name])),
    parameterShapes: Object.fromEntries(entries.map(([name, v]) => [name, v.shape])),
    metrics: [...options.metrics],
    callbacks: options.callbacks === undefined ? [] : Array.isArray(options.callbacks) ? (options.callbacks as readonly Callbacks[]) : [options.callbacks as Callbacks],
    optimizer,
    ownsOptimizer: !(options.optimizer instanceof Optimizer),
    baseLearningRate: options.learningRate ?? optimizer.learningRate,
    schedule: options.schedule ?? constantSchedule(),
    checkpointFile: options.checkpointDir === undefined ? undefined : checkpointPath(options.checkpointDir),
    earlyStopping: resolveEarlyStopping(options.earlyStopping, options.validationData !== undefined),
    modelConfig: model.config ?? null,
    totalEpochs: options.epochs ?? (options.steps === undefined ? 1 : Number.POSITIVE_INFINITY),
    maxSteps: options.steps ?? Number.POSITIVE_INFINITY,
  };
}
