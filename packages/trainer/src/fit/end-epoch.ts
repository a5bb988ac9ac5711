import * as tf from '@tensorflow/tfjs-core';
import { evaluateSums } from '../evaluate.js';
import { emptySums, metricValues } from '../metrics.js';
import type { ProgressReporter } from '../progress.js';
import { copyWeights, noteEpoch } from './early-stopping.js';
import type { RunContext } from './run-context.js';
import { type RunState, dropCarriedState } from './run-state.js';
import { appendLog } from './log-file.js';

/**
 * Closes a complete epoch: drops the carried state, takes the epoch's loss and metrics (and, with validation
 * data, `val_…` over one pass of it) into the history, the progress display and the log file, moves on to the
 * next epoch, and asks early stopping and the callbacks whether to go on. Returns true to stop.
 */
export async function endEpoch<S>(run: RunContext<S>, state: RunState<S>, progress: ProgressReporter): Promise<boolean> {
  const { options: o, earlyStopping: es } = run;
  dropCarriedState(state);
  state.carriedBatch = null;
  const logs: Record<string, number> = {
    ...metricValues(state.sums, run.metrics),
    learningRate: run.schedule.at(Math.max(0, state.step - 1), run.baseLearningRate),
  };
  if (o.validationData !== undefined && state.probed !== undefined) {
    const { sums } = await evaluateSums(run.model, o.validationData, { loss: state.probed.loss, stateful: o.stateful });
    Object.assign(logs, metricValues(sums, run.metrics, 'val_'));
  }
  for (const [key, value] of Object.entries(logs)) (state.history[key] ??= []).push(value);
  progress.endEpoch(logs);
  appendLog(run, { event: 'epoch', epoch: state.epoch, step: state.step, ...logs });
  const finished = state.epoch;
  state.epoch += 1;
  state.batchInEpoch = 0;
  state.sums = emptySums();
  let stop = false;
  if (es !== undefined && state.early !== null) {
    const verdict = noteEpoch(es, state.early, logs, finished);
    if (verdict === 'stop') stop = true;
    if (verdict === 'improved' && es.restoreBestWeights) {
      tf.dispose(Object.values(state.best));
      state.best = copyWeights(run.params);
    }
  }
  for (const cb of run.callbacks) if ((await cb.onEpochEnd?.(finished, logs)) === 'stop') stop = true;
  return stop;
}
