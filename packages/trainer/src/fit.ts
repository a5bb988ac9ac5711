import { appendFileSync, dirname, mkdirSync } from './platform/node.js';
import * as tf from '@tensorflow/tfjs-core';
// fit differentiates whatever ops a model uses, so every op's gradient must be registered.
import {
  ArgumentError,
  type Batch,
  type Dataset,
  Rng,
  type RngState,
  assertInteger,
  assertNumberInRange,
  registerGradients,
  registerWasmTrainingKernels,
} from '@gated/tensor';
import { clipByGlobalNorm, clipByValue, globalNorm } from './clip.js';
import { checkSavedPosition } from './checkpoint-meta.js';
import { type CheckpointContents, checkpointExists, checkpointPath, disposeContents, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { createOptimizer, type OptimizerOptions } from './create-optimizer.js';
import { evaluateSums } from './evaluate.js';
import { CheckpointError, EmptyDatasetError, NonFiniteError, ShapeMismatchError } from './errors.js';
import { type LossKind, checkClassIds, computeLoss, lengthMask } from './losses.js';
import { type MetricName, type StatSums, addStats, checkMetrics, emptySums, metricValues } from './metrics.js';
import type { TrainableModel, TrainForwardOptions } from './model.js';
import { Optimizer, type OptimizerKind } from './optimizer.js';
import { type ProgressMode, type ProgressReporter, createProgress } from './progress.js';
import { type Schedule, constantSchedule } from './schedule.js';
import { type Probe, checkReachesLastChunk, probe } from './probe.js';
import { disposeState, keepState, stateTensors } from './state.js';
import { assertObject, checkOptions } from '@gated/tensor';
import { assertDataset, assertModel } from './model.js';
import { EARLY_STOPPING_SPEC, FIT_SPEC, OPTIMIZER_SPECS } from './option-specs.js';

// Backward passes need tfjs's gradients and kernels tfjs-backend-wasm lacks (the gradient of tf.gather), also when
// the caller set the backend without initBackend; registering is idempotent.
await registerGradients();
registerWasmTrainingKernels();

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

/** Options of {@link fit}; see DEFAULTS for the defaults. */
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
  /** NaN/Inf loss or gradient: 'error' (default) throws {@link NonFiniteError}; 'skip' drops the step. */
  readonly onNonFinite?: 'error' | 'skip';
  /** Default 'auto': a bar on a TTY, plain lines otherwise, nothing under CI=true. */
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

/** What {@link fit} returns. */
export interface FitResult {
  /** Per completed epoch: `loss`, metrics, `val_loss`, `val_…`, `learningRate` (Keras `History.history`). */
  readonly history: Record<string, number[]>;
  /** Per step: training loss, gradient norm before clipping, learning rate. */
  readonly steps: { readonly loss: number[]; readonly gradNorm: number[]; readonly learningRate: number[] };
  /** Total steps done (including those before a resume). */
  readonly step: number;
  /** Completed epochs. */
  readonly epoch: number;
  /** Training loss of the last step (full precision), NaN if no step ran. */
  readonly loss: number;
  /** Training stopped by early stopping or a callback. */
  readonly stoppedEarly: boolean;
  /** Early stopping: the best monitored value and its (0-based) epoch. */
  readonly best?: { readonly epoch: number; readonly value: number; readonly monitor: string };
  /** Steps skipped for NaN/Inf with `onNonFinite: 'skip'`. */
  readonly skippedSteps: number;
  /** Path of the last checkpoint written, if any. */
  readonly checkpoint?: string;
}

interface EarlyState {
  best: number;
  bestEpoch: number;
  wait: number;
}

/** Everything besides tensors that a checkpoint must hold for an exact resume. */
interface Meta {
  step: number;
  epoch: number;
  batchInEpoch: number;
  sums: StatSums;
  history: Record<string, number[]>;
  steps: { loss: number[]; gradNorm: number[]; learningRate: number[] };
  skippedSteps: number;
  early: EarlyState | null;
  optimizer: { kind: string; config: Record<string, number | boolean>; stepCount: number };
  modelRng: RngState | null;
  carriedBatch: number | null;
  /** Whether the carried state is one tensor (stored as state.state) or an object of tensors. */
  carriedIsTensor: boolean;
  setup: Record<string, unknown>;
  parameters: Record<string, number[]>;
  modelConfig: unknown;
}

type ResolvedOptions = Omit<FitOptions, keyof typeof FIT_DEFAULTS> & {
  -readonly [K in keyof typeof FIT_DEFAULTS]: NonNullable<FitOptions[K]>;
};

function validate(o: FitOptions): void {
  assertObject('fit options', o, 'an options object');
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

/**
 * Trains `model` on `trainData` with backpropagation through time — Keras `fit` ergonomics, PyTorch-exact
 * optimizers — and returns the history. Each step takes one batch; with `tbptt: k` a batch is cut into chunks
 * of k steps, the state carried across chunks and the gradient cut between them, one update per chunk.
 *
 * @example
 * const result = await fit(model, trainData, {
 *   epochs: 10, validationData, optimizer: 'adamw', learningRate: 1e-3, clipNorm: 1,
 *   metrics: ['accuracy'], earlyStopping: { patience: 3 }, checkpointDir: 'runs/a', checkpointEvery: 500,
 * });
 * console.log(result.history.val_loss, result.loss);
 */
export async function fit(model: TrainableModel, trainData: Dataset, options: FitOptions = {}): Promise<FitResult> {
  validate(options);
  assertModel('fit model', model);
  assertDataset('fit trainData', trainData);
  if (options.validationData !== undefined) assertDataset('fit validationData', options.validationData);
  const o = { ...FIT_DEFAULTS, ...options } as ResolvedOptions;
  const params = model.parameters();
  const names = Object.keys(params);
  if (names.length === 0) throw new ArgumentError('model.parameters()', 'at least one trainable variable', 'none');
  const varList = names.map((n) => params[n]!);
  const keyOf = new Map(varList.map((v, i) => [v.name, names[i]!]));
  if (trainData.size === 0) throw new EmptyDatasetError('trainData');
  if (o.validationData?.size === 0) throw new EmptyDatasetError('validationData');
  const metrics = [...o.metrics];
  const callbacks = o.callbacks === undefined ? [] : Array.isArray(o.callbacks) ? (o.callbacks as readonly Callbacks[]) : [o.callbacks as Callbacks];
  const optimizer =
    o.optimizer instanceof Optimizer
      ? o.optimizer
      : createOptimizer(o.optimizer, { ...(o.optimizerOptions ?? {}), ...(o.learningRate === undefined ? {} : { learningRate: o.learningRate }) });
  const baseLr = o.learningRate ?? optimizer.learningRate;
  const schedule = o.schedule ?? constantSchedule();
  const file = o.checkpointDir === undefined ? undefined : checkpointPath(o.checkpointDir);
  const monitorDefault = o.validationData === undefined ? 'loss' : 'val_loss';
  const es = o.earlyStopping === undefined ? undefined : { monitor: monitorDefault, patience: 0, minDelta: 0, mode: 'auto' as const, restoreBestWeights: true, ...o.earlyStopping };
  const maximise = es !== undefined && (es.mode === 'max' || (es.mode === 'auto' && /acc/.test(es.monitor)));
  const modelConfig = model.config ?? null;
  const parameterShapes = Object.fromEntries(names.map((n) => [n, params[n]!.shape]));

  // Run state: plain numbers, plus tensors for the carried recurrent state and the best weights.
  let step = 0;
  let epoch = 0;
  let batchInEpoch = 0;
  let sums = emptySums();
  let history: Record<string, number[]> = {};
  let stepLog = { loss: [] as number[], gradNorm: [] as number[], learningRate: [] as number[] };
  let skippedSteps = 0;
  let early: EarlyState | null = es === undefined ? null : { best: maximise ? -Infinity : Infinity, bestEpoch: -1, wait: 0 };
  let carried: unknown;
  let carriedBatch: number | null = null;
  let best: Record<string, tf.Tensor> = {};
  let probed: Probe | undefined;
  let lastCheckpoint: string | undefined;
  let lastLoss = Number.NaN;

  const setup = (p: Probe) => ({
    loss: p.loss,
    tbptt: o.tbptt ?? null,
    stateful: o.stateful,
    baseLearningRate: baseLr,
    schedule: schedule.describe,
    clipNorm: o.clipNorm ?? null,
    clipValue: o.clipValue ?? null,
    metrics,
  });

  let resumeSetup: Record<string, unknown> | undefined;
  if (file !== undefined && o.resume !== false) {
    const exists = await checkpointExists(file);
    if (exists || o.resume === true) {
      const c = await loadCheckpoint<Meta>(file);
      try {
        restore(c);
      } catch (error) {
        disposeContents(c);
        throw error;
      }
    }
  }
  if (resumeSetup === undefined && o.seed !== undefined && model.setRngState !== undefined) model.setRngState(new Rng(o.seed).fork('dropout').state);

  function restore(c: CheckpointContents<Meta>): void {
    const m = c.meta;
    const bad = (expected: string, actual: string) => new CheckpointError(file!, 'mismatch', expected, actual);
    if (typeof m?.step !== 'number' || typeof m.parameters !== 'object') throw new CheckpointError(file!, 'corrupt', 'trainer metadata with step and parameters', JSON.stringify(m).slice(0, 200));
    const theirNames = Object.keys(m.parameters).sort();
    if (JSON.stringify(theirNames) !== JSON.stringify([...names].sort())) throw bad(`parameters ${names.join(', ')}`, theirNames.join(', '));
    for (const n of names) {
      const saved = c.model[n];
      if (saved === undefined) throw new CheckpointError(file!, 'corrupt', `tensor model.${n}`, 'missing');
      if (JSON.stringify(saved.shape) !== JSON.stringify(params[n]!.shape)) throw bad(`${n} of shape [${params[n]!.shape.join(', ')}]`, `[${saved.shape.join(', ')}]`);
    }
    if (JSON.stringify(m.modelConfig) !== JSON.stringify(modelConfig)) throw bad(`model config ${JSON.stringify(modelConfig)}`, JSON.stringify(m.modelConfig));
    if (m.optimizer.kind !== optimizer.kind || JSON.stringify(m.optimizer.config) !== JSON.stringify(optimizer.config)) {
      throw bad(`optimizer ${optimizer.kind} ${JSON.stringify(optimizer.config)}`, `${m.optimizer.kind} ${JSON.stringify(m.optimizer.config)}`);
    }
    checkSavedPosition(file!, m, c.optimizer, { batchesPerEpoch: trainData.size, parameterShapes, slotNames: optimizer.slotNames() });
    if (o.steps !== undefined && m.step > o.steps) {
      throw new ArgumentError('steps', `at least ${m.step}, the step of the checkpoint in ${o.checkpointDir} (a resume continues, it never goes back)`, String(o.steps));
    }
    if (o.epochs !== undefined && m.epoch > o.epochs) {
      throw new ArgumentError('epochs', `at least ${m.epoch}, the epoch of the checkpoint in ${o.checkpointDir}`, String(o.epochs));
    }
    if (m.epoch > 0 && trainData.setEpoch === undefined) {
      throw new ArgumentError(
        'trainData',
        `a dataset with setEpoch(epoch) to resume exactly at epoch ${m.epoch} (its order may depend on the epoch; add setEpoch, a no-op if it does not)`,
        'a dataset without setEpoch',
      );
    }
    if ((m.early === null) !== (early === null)) throw bad(`earlyStopping ${early === null ? 'off' : 'on'}`, m.early === null ? 'off' : 'on');
    if (m.modelRng !== null && model.setRngState === undefined) throw bad('a model without an RNG state', 'a saved model RNG state');
    // All checks passed: now change things.
    for (const n of names) params[n]!.assign(c.model[n]!);
    tf.dispose(Object.values(c.model));
    optimizer.loadStateDict({ kind: optimizer.kind, config: m.optimizer.config, stepCount: m.optimizer.stepCount, slots: c.optimizer });
    tf.dispose(Object.values(c.optimizer));
    if (m.modelRng !== null) model.setRngState!(m.modelRng);
    step = m.step;
    epoch = m.epoch;
    batchInEpoch = m.batchInEpoch;
    sums = m.sums;
    // JSON stores NaN/±Inf (skipped steps, a diverged norm) as null: read them back as NaN.
    const numbers = (values: (number | null)[]) => values.map((v) => v ?? Number.NaN);
    history = Object.fromEntries(Object.entries(m.history).map(([k, v]) => [k, numbers(v)]));
    stepLog = { loss: numbers(m.steps.loss), gradNorm: numbers(m.steps.gradNorm), learningRate: numbers(m.steps.learningRate) };
    skippedSteps = m.skippedSteps;
    early = m.early;
    if (early !== null && early.best === null) early.best = maximise ? -Infinity : Infinity;
    carriedBatch = m.carriedBatch;
    carried = Object.keys(c.state).length === 0 ? undefined : m.carriedIsTensor ? c.state['state'] : c.state;
    best = c.best;
    resumeSetup = m.setup;
    lastLoss = stepLog.loss.at(-1) ?? Number.NaN;
  }

  async function writeCheckpoint(): Promise<void> {
    if (file === undefined || probed === undefined) return;
    const opt = optimizer.stateDict();
    const meta: Meta = {
      step,
      epoch,
      batchInEpoch,
      sums,
      history,
      steps: stepLog,
      skippedSteps,
      early,
      optimizer: { kind: opt.kind, config: { ...opt.config }, stepCount: opt.stepCount },
      modelRng: model.getRngState?.() ?? null,
      carriedBatch,
      carriedIsTensor: carried instanceof tf.Tensor,
      setup: setup(probed),
      parameters: parameterShapes,
      modelConfig,
    };
    try {
      await saveCheckpoint(file, { model: params, optimizer: opt.slots, state: stateTensors(carried), best, meta });
    } finally {
      tf.dispose(Object.values(opt.slots));
    }
    lastCheckpoint = file;
  }

  const log = (record: Record<string, unknown>) => {
    if (o.logFile === undefined) return;
    mkdirSync(dirname(o.logFile), { recursive: true });
    appendFileSync(o.logFile, `${JSON.stringify(record)}\n`);
  };

  const forwardOptions = (lengths: tf.Tensor1D | undefined, initialState: unknown, training: boolean): TrainForwardOptions<unknown> => ({
    training,
    ...(lengths === undefined ? {} : { lengths }),
    ...(initialState === undefined ? {} : { initialState }),
  });

  // One step: a batch, cut into tbptt chunks; returns the batch's sums and the largest gradient norm.
  function trainBatch(batch: Batch, p: Probe, learningRate: number): { sums: StatSums; gradNorm: number; skipped: boolean } {
    const { x, y } = batch;
    const steps = x.shape[1]!;
    const k = o.tbptt !== undefined && o.tbptt < steps ? o.tbptt : steps;
    const rows = x.shape[0]!;
    if (o.stateful && carried !== undefined && carriedBatch !== rows) {
      throw new ShapeMismatchError('stateful training batch', `${carriedBatch} rows like the previous batch (use dropRemainder)`, `${rows} rows`);
    }
    if (o.tbptt !== undefined && !p.perStep) checkReachesLastChunk(batch, o.tbptt);
    let state = o.stateful ? carried : undefined;
    carried = undefined;
    const batchSums = emptySums();
    let gradNorm = 0;
    const weights = p.perStep ? (batch.mask ?? (batch.lengths === undefined ? undefined : lengthMask(batch.lengths, steps))) : undefined;
    const allLengths = batch.lengths !== undefined && k < steps ? batch.lengths.dataSync() : undefined;
    // Checked before the tape starts, so a bad target leaves no recorded tensors behind.
    if (p.classes !== null) checkClassIds(y, p.classes, weights, { batch: batchInEpoch + 1, epoch, step: step + 1 });
    try {
      for (let start = 0; start < steps; start += k) {
        const len = Math.min(k, steps - start);
        const whole = len === steps;
        const last = start + len >= steps;
        const chunk = <T extends tf.Tensor>(t: T): T => (whole ? t : (tf.slice(t, [0, start], [t.shape[0]!, len]) as T));
        const xs = chunk(x);
        let lengths: tf.Tensor1D | undefined;
        if (batch.lengths !== undefined && (p.perStep || last)) {
          // Lengths within the chunk; a sequence that already ended keeps ≥ 1 step (its positions are masked).
          // (Computed in JS: tfjs-backend-wasm's ClipByValue returns float bits for int32 input.)
          lengths = whole ? batch.lengths : tf.tensor1d(Int32Array.from(allLengths!, (n) => Math.min(Math.max(n - start, 1), len)), 'int32');
        }
        const own = [xs, lengths].filter((t): t is tf.Tensor => t !== undefined && t !== x && t !== batch.lengths);
        try {
          if (!p.perStep && !last) {
            // Sequence-level target: earlier chunks only advance the state.
            const next: unknown = tf.tidy(() => keepState(model.forward(xs, forwardOptions(lengths, state, true)).state) as tf.TensorContainer);
            disposeState(state);
            state = next;
            continue;
          }
          const ys = p.perStep ? chunk(y) : y;
          const ws = weights === undefined ? undefined : chunk(weights);
          if (ys !== y) own.push(ys);
          if (ws !== undefined && ws !== weights) own.push(ws);
          let next: unknown;
          let stats: tf.Tensor1D | undefined;
          const { value, grads: raw } = tf.variableGrads(() => {
            const out = model.forward(xs, forwardOptions(lengths, state, true));
            next = keepState(out.state);
            const result = computeLoss(p.loss, out.output, ys, ws);
            stats = tf.keep(result.stats);
            return result.loss;
          }, varList);
          value.dispose();
          disposeState(state);
          state = next;
          const grads: Record<string, tf.Tensor> = {};
          for (const [name, g] of Object.entries(raw)) grads[keyOf.get(name) ?? name] = g;
          const norm = globalNorm(Object.values(grads));
          const joined = tf.tidy(() => tf.concat([stats!, tf.reshape(norm, [1])]));
          const numbers = joined.dataSync();
          tf.dispose([joined, stats!]);
          const lossValue = numbers[0]! / numbers[1]!;
          const normValue = numbers[5]!;
          const bad = !Number.isFinite(numbers[0]!) ? ('loss' as const) : !Number.isFinite(normValue) ? ('gradient' as const) : undefined;
          if (bad !== undefined) {
            tf.dispose([norm, ...Object.values(grads)]);
            if (o.onNonFinite === 'error') throw new NonFiniteError({ step: step + 1, epoch, what: bad, value: bad === 'loss' ? lossValue : normValue });
            disposeState(state);
            state = undefined;
            return { sums: batchSums, gradNorm: normValue, skipped: true };
          }
          let clipped = grads;
          if (o.clipValue !== undefined) clipped = clipByValue(clipped, o.clipValue);
          if (o.clipNorm !== undefined) {
            const n2 = clipped === grads ? norm : globalNorm(Object.values(clipped));
            const next2 = clipByGlobalNorm(clipped, o.clipNorm, n2);
            if (clipped !== grads) tf.dispose([n2, ...Object.values(clipped)]);
            clipped = next2;
          }
          optimizer.step(params, clipped, learningRate);
          tf.dispose([norm, ...Object.values(grads)]);
          if (clipped !== grads) tf.dispose(Object.values(clipped));
          addStats(batchSums, numbers);
          gradNorm = Math.max(gradNorm, normValue);
        } finally {
          tf.dispose(own);
        }
      }
    } catch (error) {
      disposeState(state);
      throw error;
    } finally {
      if (weights !== undefined && weights !== batch.mask) weights.dispose();
    }
    if (o.stateful) {
      carried = state;
      carriedBatch = rows;
    } else {
      disposeState(state);
    }
    return { sums: batchSums, gradNorm, skipped: false };
  }

  const totalEpochs = o.epochs ?? (o.steps === undefined ? 1 : Number.POSITIVE_INFINITY);
  const maxSteps = o.steps ?? Number.POSITIVE_INFINITY;
  const progress: ProgressReporter = createProgress({ mode: o.progress, ...(o.progressStream === undefined ? {} : { stream: o.progressStream }) });
  let stoppedEarly = false;

  const checkValidation = async (p: Probe) => {
    if (o.validationData === undefined) return;
    const it = o.validationData[Symbol.asyncIterator]();
    const first = await it.next();
    await it.return?.();
    if (first.done) throw new EmptyDatasetError('validationData');
    const b = first.value;
    try {
      const v = probe(model, b, p.loss, undefined, 'validationData');
      if (v.perStep !== p.perStep) throw new ShapeMismatchError('validationData targets', p.perStep ? 'per-step targets like trainData' : 'sequence targets like trainData', 'the other kind');
    } finally {
      tf.dispose([b.x, b.y, b.lengths ?? [], b.mask ?? []]);
    }
  };

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.({ step, epoch });
    training: while (epoch < totalEpochs && step < maxSteps) {
      trainData.setEpoch?.(epoch);
      const it = trainData[Symbol.asyncIterator]();
      let index = 0;
      let exhausted = false;
      progress.startEpoch(epoch, totalEpochs, trainData.size);
      try {
        for (;;) {
          if (trainData.size !== undefined && index >= trainData.size) {
            exhausted = true;
            break;
          }
          if (step >= maxSteps) break;
          const next = await it.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          const batch = next.value;
          index += 1;
          try {
            if (probed === undefined) {
              probed = probe(model, batch, o.loss, o.tbptt, 'trainData');
              checkMetrics(metrics, probed.loss);
              if (resumeSetup !== undefined && JSON.stringify(resumeSetup) !== JSON.stringify(setup(probed))) {
                throw new CheckpointError(file!, 'mismatch', `run set-up ${JSON.stringify(setup(probed))}`, JSON.stringify(resumeSetup));
              }
              await checkValidation(probed);
            }
            if (index <= batchInEpoch) continue; // resuming mid-epoch: skip what was already trained
            const learningRate = schedule.at(step, baseLr);
            const r = trainBatch(batch, probed, learningRate);
            step += 1;
            batchInEpoch += 1;
            if (r.skipped) skippedSteps += 1;
            else addStats(sums, [r.sums.lossSum, r.sums.count, r.sums.correct, r.sums.absSum, r.sums.sqSum]);
            const loss = r.skipped ? Number.NaN : r.sums.lossSum / r.sums.count;
            lastLoss = loss;
            stepLog.loss.push(loss);
            stepLog.gradNorm.push(r.gradNorm);
            stepLog.learningRate.push(learningRate);
            const logs: StepLogs = { step, epoch, batch: batchInEpoch, loss, gradNorm: r.gradNorm, learningRate, skipped: r.skipped };
            log({ event: 'step', ...logs });
            progress.update(batchInEpoch, metricValues(sums, metrics));
            let stop = false;
            for (const cb of callbacks) if ((await cb.onBatchEnd?.(logs)) === 'stop') stop = true;
            if (o.checkpointEvery > 0 && step % o.checkpointEvery === 0) await writeCheckpoint();
            if (stop) {
              stoppedEarly = true;
              break training;
            }
          } finally {
            tf.dispose([batch.x, batch.y, batch.lengths ?? [], batch.mask ?? []]);
          }
        }
      } finally {
        await it.return?.();
      }
      if (index === 0 && batchInEpoch === 0) throw new EmptyDatasetError('trainData');
      if (!exhausted) break;
      // End of an epoch.
      disposeState(carried);
      carried = undefined;
      carriedBatch = null;
      const logs: Record<string, number> = { ...metricValues(sums, metrics), learningRate: schedule.at(Math.max(0, step - 1), baseLr) };
      if (o.validationData !== undefined && probed !== undefined) Object.assign(logs, metricValues((await evaluateSums(model, o.validationData, { loss: probed.loss, stateful: o.stateful })).sums, metrics, 'val_'));
      for (const [key, value] of Object.entries(logs)) (history[key] ??= []).push(value);
      progress.endEpoch(logs);
      log({ event: 'epoch', epoch, step, ...logs });
      const finished = epoch;
      epoch += 1;
      batchInEpoch = 0;
      sums = emptySums();
      let stop = false;
      if (es !== undefined && early !== null) {
        const value = logs[es.monitor];
        if (value === undefined) throw new ArgumentError('earlyStopping.monitor', `one of ${Object.keys(logs).join(', ')}`, `"${es.monitor}"`);
        const improved = maximise ? value > early.best + es.minDelta : value < early.best - es.minDelta;
        if (improved) {
          early.best = value;
          early.bestEpoch = finished;
          early.wait = 0;
          if (es.restoreBestWeights) {
            tf.dispose(Object.values(best));
            best = Object.fromEntries(names.map((n) => [n, tf.clone(params[n]!)]));
          }
        } else {
          early.wait += 1;
          if (early.wait >= es.patience) stop = true;
        }
      }
      for (const cb of callbacks) if ((await cb.onEpochEnd?.(finished, logs)) === 'stop') stop = true;
      if (stop) {
        stoppedEarly = true;
        break;
      }
    }
    await writeCheckpoint();
    if (es?.restoreBestWeights && Object.keys(best).length > 0) {
      for (const n of names) params[n]!.assign(best[n]!);
    }
    const result: FitResult = {
      history,
      steps: stepLog,
      step,
      epoch,
      loss: lastLoss,
      stoppedEarly,
      ...(es !== undefined && early !== null && early.bestEpoch >= 0 ? { best: { epoch: early.bestEpoch, value: early.best, monitor: es.monitor } } : {}),
      skippedSteps,
      ...(lastCheckpoint === undefined ? {} : { checkpoint: lastCheckpoint }),
    };
    for (const cb of callbacks) await cb.onTrainEnd?.(result);
    return result;
  } finally {
    progress.stop();
    disposeState(carried);
    carried = undefined;
    tf.dispose(Object.values(best));
    best = {};
    // An optimizer fit made is fit's to free; pass an Optimizer instance to keep its state across fits.
    if (!(o.optimizer instanceof Optimizer)) optimizer.dispose();
  }
}
