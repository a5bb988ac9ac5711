import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, type RngState } from '@gated/tensor';
import { checkSavedPosition } from '../checkpoint-meta.js';
import { type CheckpointContents, checkpointExists, disposeContents, loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { CheckpointError } from '../errors.js';
import type { Probe } from '../probe.js';
import { stateTensors } from '../state.js';
import { worstValue } from './early-stopping.js';
import type { RunContext } from './run-context.js';
import type { RunState } from './run-state.js';

/** The position and logs of a run, as RunState holds them: what a checkpoint saves of it verbatim. */
type SavedPosition = Pick<RunState<unknown>, 'step' | 'epoch' | 'batchInEpoch' | 'sums' | 'history' | 'steps' | 'skippedSteps' | 'early' | 'carriedBatch'>;

/** Everything besides tensors that a checkpoint must hold for an exact resume (its JSON metadata). */
export interface CheckpointMeta extends SavedPosition {
  optimizer: { kind: string; config: Record<string, number | boolean>; stepCount: number };
  modelRng: RngState | null;
  /** Whether the carried state is one tensor (stored as state.state) or an object of tensors. */
  carriedIsTensor: boolean;
  setup: Record<string, unknown>;
  parameters: Record<string, number[]>;
  modelConfig: unknown;
}

/** The run set-up a checkpoint records and a resume must match: loss, tbptt, learning rate, clipping, metrics. */
export function runSetup<S>(run: RunContext<S>, probed: Probe): Record<string, unknown> {
  const o = run.options;
  return {
    loss: probed.loss,
    tbptt: o.tbptt ?? null,
    stateful: o.stateful,
    baseLearningRate: run.baseLearningRate,
    schedule: run.schedule.describe,
    clipNorm: o.clipNorm ?? null,
    clipValue: o.clipValue ?? null,
    metrics: run.metrics,
  };
}

/**
 * Restores `state`, the weights and the optimizer from `checkpointDir` when `resume` asks for it (a missing file
 * is an error for `resume: true`, a fresh start for `'if-exists'`); on a fresh start, seeds the model's dropout
 * stream from `seed`.
 */
export async function resumeRun<S>(run: RunContext<S>, state: RunState<S>): Promise<void> {
  const file = run.checkpointFile;
  if (file !== undefined && run.options.resume !== false && ((await checkpointExists(file)) || run.options.resume === true)) {
    const contents = await loadCheckpoint<CheckpointMeta>(file);
    try {
      restore(run, state, file, contents);
    } catch (error) {
      disposeContents(contents);
      throw error;
    }
  }
  const { seed } = run.options;
  if (state.resumeSetup === undefined && seed !== undefined && run.model.setRngState !== undefined) run.model.setRngState(new Rng(seed).fork('dropout').state);
}

/** Throws a {@link CheckpointError} ('mismatch') when a resumed run's set-up differs from the checkpoint's. */
export function checkResumedSetup<S>(run: RunContext<S>, state: RunState<S>, probed: Probe): void {
  const file = run.checkpointFile;
  if (state.resumeSetup === undefined || file === undefined) return;
  const ours = JSON.stringify(runSetup(run, probed));
  const theirs = JSON.stringify(state.resumeSetup);
  if (ours !== theirs) throw new CheckpointError(file, 'mismatch', `run set-up ${ours}`, theirs);
}

// Checks everything before changing anything: a refused checkpoint leaves the model, optimizer and state as they were.
function restore<S>(run: RunContext<S>, state: RunState<S>, file: string, c: CheckpointContents<CheckpointMeta>): void {
  const { model, optimizer, params, names, trainData, options: o } = run;
  const m = c.meta;
  const bad = (expected: string, actual: string) => new CheckpointError(file, 'mismatch', expected, actual);
  if (typeof m?.step !== 'number' || typeof m.parameters !== 'object') throw new CheckpointError(file, 'corrupt', 'trainer metadata with step and parameters', JSON.stringify(m).slice(0, 200));
  const theirNames = Object.keys(m.parameters).sort();
  if (JSON.stringify(theirNames) !== JSON.stringify([...names].sort())) throw bad(`parameters ${names.join(', ')}`, theirNames.join(', '));
  const weights: [tf.Variable, tf.Tensor][] = [];
  for (const [n, variable] of Object.entries(params)) {
    const saved = c.model[n];
    if (saved === undefined) throw new CheckpointError(file, 'corrupt', `tensor model.${n}`, 'missing');
    if (JSON.stringify(saved.shape) !== JSON.stringify(variable.shape)) throw bad(`${n} of shape [${variable.shape.join(', ')}]`, `[${saved.shape.join(', ')}]`);
    weights.push([variable, saved]);
  }
  if (JSON.stringify(m.modelConfig) !== JSON.stringify(run.modelConfig)) throw bad(`model config ${JSON.stringify(run.modelConfig)}`, JSON.stringify(m.modelConfig));
  if (m.optimizer.kind !== optimizer.kind || JSON.stringify(m.optimizer.config) !== JSON.stringify(optimizer.config)) {
    throw bad(`optimizer ${optimizer.kind} ${JSON.stringify(optimizer.config)}`, `${m.optimizer.kind} ${JSON.stringify(m.optimizer.config)}`);
  }
  checkSavedPosition(file, m, c.optimizer, { batchesPerEpoch: trainData.size, parameterShapes: run.parameterShapes, slotNames: optimizer.slotNames() });
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
  if ((m.early === null) !== (state.early === null)) throw bad(`earlyStopping ${state.early === null ? 'off' : 'on'}`, m.early === null ? 'off' : 'on');
  if (m.modelRng !== null && model.setRngState === undefined) throw bad('a model without an RNG state', 'a saved model RNG state');
  // All checks passed: now change things.
  for (const [variable, saved] of weights) variable.assign(saved);
  tf.dispose(Object.values(c.model));
  optimizer.loadStateDict({ kind: optimizer.kind, config: m.optimizer.config, stepCount: m.optimizer.stepCount, slots: c.optimizer });
  tf.dispose(Object.values(c.optimizer));
  if (m.modelRng !== null) model.setRngState?.(m.modelRng);
  state.step = m.step;
  state.epoch = m.epoch;
  state.batchInEpoch = m.batchInEpoch;
  state.sums = m.sums;
  // JSON stores NaN/±Inf (skipped steps, a diverged norm) as null: read them back as NaN.
  const numbers = (values: (number | null)[]) => values.map((v) => v ?? Number.NaN);
  state.history = Object.fromEntries(Object.entries(m.history).map(([k, v]) => [k, numbers(v)]));
  state.steps = { loss: numbers(m.steps.loss), gradNorm: numbers(m.steps.gradNorm), learningRate: numbers(m.steps.learningRate) };
  state.skippedSteps = m.skippedSteps;
  state.early = m.early;
  // The best value starts at ±Infinity, which JSON stores as null.
  if (state.early !== null && state.early.best === null && run.earlyStopping !== undefined) state.early.best = worstValue(run.earlyStopping);
  state.carriedBatch = m.carriedBatch;
  // The checkpoint holds the state as the model returned it (one tensor, or an object of tensors): it is the model's S.
  state.carried = (Object.keys(c.state).length === 0 ? undefined : m.carriedIsTensor ? c.state['state'] : c.state) as S | undefined;
  state.best = c.best;
  state.resumeSetup = m.setup;
  state.lastLoss = state.steps.loss.at(-1) ?? Number.NaN;
}

/** Writes the run to `checkpointDir` (nothing without one, or before the first batch was probed). */
export async function writeCheckpoint<S>(run: RunContext<S>, state: RunState<S>): Promise<void> {
  const file = run.checkpointFile;
  if (file === undefined || state.probed === undefined) return;
  const opt = run.optimizer.stateDict();
  const meta: CheckpointMeta = {
    step: state.step,
    epoch: state.epoch,
    batchInEpoch: state.batchInEpoch,
    sums: state.sums,
    history: state.history,
    steps: state.steps,
    skippedSteps: state.skippedSteps,
    early: state.early,
    optimizer: { kind: opt.kind, config: { ...opt.config }, stepCount: opt.stepCount },
    modelRng: run.model.getRngState?.() ?? null,
    carriedBatch: state.carriedBatch,
    carriedIsTensor: state.carried instanceof tf.Tensor,
    setup: runSetup(run, state.probed),
    parameters: run.parameterShapes as Record<string, number[]>,
    modelConfig: run.modelConfig,
  };
  try {
    await saveCheckpoint(file, { model: run.params, optimizer: opt.slots, state: stateTensors(state.carried), best: state.best, meta });
  } finally {
    tf.dispose(Object.values(opt.slots));
  }
  state.lastCheckpoint = file;
}
