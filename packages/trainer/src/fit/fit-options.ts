import { ArgumentError, type Dataset, assertInteger, assertNumberInRange, assertObject, checkOptions } from '@gated/tensor';
import type { OptimizerOptions } from '../create-optimizer.js';
import type { LossKind } from '../losses.js';
import type { MetricName } from '../metrics.js';
import { Optimizer, type OptimizerKind } from '../optimizer.js';
import { EARLY_STOPPING_SPEC, FIT_SPEC, OPTIMIZER_SPECS } from '../option-specs.js';
import { type ProgressMode, checkProgressMode } from '../progress.js';
import type { Schedule } from '../schedule.js';
import type { FitResult } from './fit-result.js';

/** Early stopping (Keras `EarlyStopping`). */
export interface EarlyStoppingOptions {
  /** Logged value to watch; default 'val_loss' with validation data, else 'loss'. */
  readonly monitor?: string;
  /** Epochs without improvement before stopping; default 0. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement; default 0. */
  readonly minDelta?: number;
  /** `auto` (default) maximises accuracy and minimises everything else. */
  readonly mode?: 'auto' | 'min' | 'max';
  /** Put the best epoch's weights back when training ends; default true. */
  readonly restoreBestWeights?: boolean;
}

/** What callbacks receive at the end of a step. */
export interface StepLogs {
  /** 1-based global step just finished. */
  readonly step: number;
  readonly epoch: number;
  /** 1-based batch within the epoch. */
  readonly batch: number;
  readonly loss: number;
  /** Global L2 norm of the gradients before clipping (the largest of the step's chunks with tbptt). */
  readonly gradNorm: number;
  readonly learningRate: number;
  /** True when the step was skipped for a non-finite loss/gradient (`onNonFinite: 'skip'`). */
  readonly skipped: boolean;
}

/**
 * Hooks into training (Keras callback names). Returning `'stop'` from `onEpochEnd`/`onBatchEnd` ends training
 * after the current step.
 */
export interface Callbacks {
  onTrainBegin?(info: { readonly step: number; readonly epoch: number }): void | Promise<void>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback usually returns nothing
  onBatchEnd?(logs: StepLogs): void | 'stop' | Promise<void | 'stop'>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback usually returns nothing
  onEpochEnd?(epoch: number, logs: Readonly<Record<string, number>>): void | 'stop' | Promise<void | 'stop'>;
  onTrainEnd?(result: FitResult): void | Promise<void>;
}

/** Options of `fit`; {@link FIT_DEFAULTS} holds the defaults. */
export interface FitOptions {
  /** Epochs to run (counting those done before a resume). Default 1 unless `steps` is given. */
  readonly epochs?: number;
  /** Total optimizer steps (batches) to reach, counting those before a resume; may end mid-epoch. */
  readonly steps?: number;
  /** Evaluated at the end of every epoch; its loss/metrics are logged as `val_…`. */
  readonly validationData?: Dataset;
  /** Default: crossEntropy when y is int32, else mse. */
  readonly loss?: LossKind;
  /** A name or an {@link Optimizer} instance. Default 'adam'. */
  readonly optimizer?: OptimizerKind | Optimizer;
  /** Options for a named optimizer (momentum, nesterov, beta1, weightDecay, …). */
  readonly optimizerOptions?: Omit<OptimizerOptions, 'learningRate'>;
  /** Base learning rate; default the optimizer's (Adam 1e-3, SGD/RMSprop 1e-2). */
  readonly learningRate?: number;
  /** Learning-rate schedule over steps; default constant. */
  readonly schedule?: Schedule;
  /** Clip gradients to this global L2 norm (PyTorch clip_grad_norm_). */
  readonly clipNorm?: number;
  /** Clamp every gradient element to ±clipValue (applied before clipNorm). */
  readonly clipValue?: number;
  /** Truncated BPTT: chunk length k; state is carried between chunks, the gradient cut; one update per chunk. */
  readonly tbptt?: number;
  /** Carry the recurrent state from each batch to the next (reset every epoch); needs equal batch sizes. */
  readonly stateful?: boolean;
  readonly earlyStopping?: EarlyStoppingOptions;
  readonly callbacks?: Callbacks | readonly Callbacks[];
  readonly metrics?: readonly MetricName[];
  /** Seeds the model's dropout stream (when the model exposes `setRngState`) on a fresh start. */
  readonly seed?: number;
  /** Folder for `checkpoint.safetensors`; written every `checkpointEvery` steps and at the end. */
  readonly checkpointDir?: string;
  /** Steps between checkpoints; default 0 = only at the end. */
  readonly checkpointEvery?: number;
  /**
   * Continue from `checkpointDir`: true requires a checkpoint; 'if-exists' starts fresh only when there is none.
   * Past the first epoch, `trainData` needs `setEpoch` (so the resumed run sees the epoch's order), and `steps`
   * may not be below the checkpoint's step.
   */
  readonly resume?: boolean | 'if-exists';
  /** NaN/Inf loss or gradient: 'error' (default) throws a `NonFiniteError`; 'skip' drops the step. */
  readonly onNonFinite?: 'error' | 'skip';
  /** Default 'auto' (`defaultProgressMode`): nothing under CI, a bar on a terminal, plain lines otherwise. */
  readonly progress?: ProgressMode;
  /** Where progress goes; default process.stderr. */
  readonly progressStream?: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Append a JSON line per step and per epoch to this file. */
  readonly logFile?: string;
}

/** Defaults of {@link FitOptions}. */
export const FIT_DEFAULTS = {
  optimizer: 'adam',
  checkpointEvery: 0,
  resume: false,
  onNonFinite: 'error',
  progress: 'auto',
  stateful: false,
  metrics: [],
} as const;

/** {@link FitOptions} with the defaults of {@link FIT_DEFAULTS} filled in. */
export type ResolvedOptions = Omit<FitOptions, keyof typeof FIT_DEFAULTS> & {
  -readonly [K in keyof typeof FIT_DEFAULTS]: NonNullable<FitOptions[K]>;
};

/** Checks every option of `fit` (unknown keys, enum values, ranges, combinations) before anything runs. */
export function validateFitOptions(o: FitOptions): void {
  assertObject('fit options', o, 'an options object');
  if (o.progress !== undefined) checkProgressMode('fit', o.progress);
  checkOptions('fit', o, FIT_SPEC);
  if (o.earlyStopping !== undefined) checkOptions('fit earlyStopping', o.earlyStopping, EARLY_STOPPING_SPEC);
  if (o.optimizerOptions !== undefined && typeof o.optimizer !== 'object') {
    const kind = (o.optimizer ?? FIT_DEFAULTS.optimizer) as keyof typeof OPTIMIZER_SPECS;
    const { learningRate: _, ...spec } = OPTIMIZER_SPECS[kind] ?? {};
    if (OPTIMIZER_SPECS[kind] !== undefined) checkOptions(`fit optimizerOptions (${kind})`, o.optimizerOptions, spec);
  }
  if (o.epochs !== undefined) assertInteger('epochs', o.epochs, 1);
  if (o.steps !== undefined) assertInteger('steps', o.steps, 1);
  if (o.learningRate !== undefined) assertNumberInRange('learningRate', o.learningRate, 0, Number.MAX_VALUE);
  if (o.clipNorm !== undefined) assertNumberInRange('clipNorm', o.clipNorm, Number.MIN_VALUE, Number.MAX_VALUE);
  if (o.clipValue !== undefined) assertNumberInRange('clipValue', o.clipValue, Number.MIN_VALUE, Number.MAX_VALUE);
  if (o.tbptt !== undefined) assertInteger('tbptt', o.tbptt, 1);
  if (o.seed !== undefined) assertInteger('seed', o.seed, 0, 2 ** 53);
  if (o.checkpointEvery !== undefined) assertInteger('checkpointEvery', o.checkpointEvery, 0);
  if ((o.checkpointEvery ?? 0) > 0 && o.checkpointDir === undefined) throw new ArgumentError('checkpointDir', 'a folder when checkpointEvery is set', 'undefined');
  if (o.resume !== undefined && o.resume !== false && o.checkpointDir === undefined) throw new ArgumentError('checkpointDir', 'a folder to resume from', 'undefined');
  if (o.onNonFinite !== undefined && o.onNonFinite !== 'error' && o.onNonFinite !== 'skip') throw new ArgumentError('onNonFinite', "'error' or 'skip'", String(o.onNonFinite));
  if (o.optimizerOptions !== undefined && o.optimizer instanceof Optimizer) {
    throw new ArgumentError('optimizerOptions', 'no options with an Optimizer instance (configure the instance)', 'optimizerOptions');
  }
  const es = o.earlyStopping;
  if (es !== undefined) {
    if (es.patience !== undefined) assertInteger('earlyStopping.patience', es.patience, 0);
    if (es.minDelta !== undefined) assertNumberInRange('earlyStopping.minDelta', es.minDelta, 0, Number.MAX_VALUE);
  }
}
