import * as tf from '@tensorflow/tfjs-core';
import { type StatSums, emptySums } from '../metrics.js';
import type { Probe } from '../probe.js';
import { disposeState } from '../state.js';
import { type EarlyState, type EarlyStopping, initialEarlyState } from './early-stopping.js';

/** Per-step logs of a run: training loss, gradient norm before clipping, learning rate. */
export interface StepLog {
  loss: number[];
  gradNorm: number[];
  learningRate: number[];
}

/**
 * Everything a run of `fit` advances: its position, the epoch's running sums, the logs, early stopping, and
 * the tensors it owns (the recurrent state carried between batches, the best weights). A checkpoint holds it
 * all, so a resumed run continues from exactly here.
 */
export interface RunState<S> {
  /** Optimizer steps (batches) done, counting those before a resume. */
  step: number;
  /** Completed epochs. */
  epoch: number;
  /** Batches trained in the current epoch. */
  batchInEpoch: number;
  /** The current epoch's running sums (the epoch's loss and metrics are ratios of them). */
  sums: StatSums;
  history: Record<string, number[]>;
  steps: StepLog;
  skippedSteps: number;
  /** Null without early stopping. */
  early: EarlyState | null;
  /** Recurrent state carried to the next batch (`stateful`); undefined between epochs. */
  carried: S | undefined;
  /** Rows of the batch `carried` came from, null at the start of an epoch. */
  carriedBatch: number | null;
  /** The best epoch's weights (early stopping with `restoreBestWeights`), by parameter name. */
  best: Record<string, tf.Tensor>;
  /** What the first batch told about the run; undefined until it is seen. */
  probed: Probe | undefined;
  /** The run set-up a resumed checkpoint recorded, compared with this run's once the first batch is probed. */
  resumeSetup: Record<string, unknown> | undefined;
  lastCheckpoint: string | undefined;
  /** Loss of the last step, NaN before any. */
  lastLoss: number;
  stoppedEarly: boolean;
}

/** The state of a fresh run. */
export function createRunState<S>(earlyStopping: EarlyStopping | undefined): RunState<S> {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    sums: emptySums(),
    history: {},
    steps: { loss: [], gradNorm: [], learningRate: [] },
    skippedSteps: 0,
    early: earlyStopping === undefined ? null : initialEarlyState(earlyStopping),
    carried: undefined,
    carriedBatch: null,
    best: {},
    probed: undefined,
    resumeSetup: undefined,
    lastCheckpoint: undefined,
    lastLoss: Number.NaN,
    stoppedEarly: false,
  };
}

/** Drops the carried recurrent state (at the end of an epoch, and of the run). */
export function dropCarriedState<S>(state: RunState<S>): void {
  disposeState(state.carried);
  state.carried = undefined;
}

/** Disposes the tensors the state owns. */
export function disposeRunState<S>(state: RunState<S>): void {
  dropCarriedState(state);
  tf.dispose(Object.values(state.best));
  state.best = {};
}
