import type { RunContext } from './run-context.js';
import type { RunState } from './run-state.js';

/** What `fit` returns. */
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

/** The result of a run that ended (`best` with early stopping once an epoch was seen, `checkpoint` once one was written). */
export function fitResult<S>(run: RunContext<S>, state: RunState<S>): FitResult {
  const es = run.earlyStopping;
  const { early } = state;
  return {
    history: state.history,
    steps: state.steps,
    step: state.step,
    epoch: state.epoch,
    loss: state.lastLoss,
    stoppedEarly: state.stoppedEarly,
    ...(es !== undefined && early !== null && early.bestEpoch >= 0 ? { best: { epoch: early.bestEpoch, value: early.best, monitor: es.monitor } } : {}),
    skippedSteps: state.skippedSteps,
    ...(state.lastCheckpoint === undefined ? {} : { checkpoint: state.lastCheckpoint }),
  };
}
