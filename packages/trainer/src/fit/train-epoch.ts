import type { Batch } from '@gated/tensor';
import { EmptyDatasetError } from '../errors.js';
import { addSums, checkMetrics, metricValues } from '../metrics.js';
import { probe } from '../probe.js';
import type { ProgressReporter } from '../progress.js';
import { disposeBatch, trainBatch } from './batch-step.js';
import type { StepLogs } from './fit-options.js';
import { appendLog } from './log-file.js';
import { checkResumedSetup, writeCheckpoint } from './resume.js';
import type { RunContext } from './run-context.js';
import type { RunState } from './run-state.js';
import { checkValidationData } from './validation.js';

/**
 * How a pass over the training data ended: `exhausted` (the epoch is complete), `step-limit` (`steps` reached
 * mid-epoch) or `stopped` (a callback returned 'stop').
 */
export type EpochEnd = 'exhausted' | 'step-limit' | 'stopped';

/**
 * Trains on the batches of the current epoch until the data ends, `steps` is reached or a callback stops the
 * run. The run's first batch is probed (model and data must fit, the metrics the loss, a resumed run its
 * checkpoint's set-up); a resumed run skips the batches of the epoch it already trained. Every batch is disposed.
 */
export async function trainEpoch<S>(run: RunContext<S>, state: RunState<S>, progress: ProgressReporter): Promise<EpochEnd> {
  const { trainData } = run;
  trainData.setEpoch?.(state.epoch);
  const it = trainData[Symbol.asyncIterator]();
  let index = 0;
  progress.startEpoch(state.epoch, run.totalEpochs, trainData.size);
  try {
    for (;;) {
      if (trainData.size !== undefined && index >= trainData.size) break;
      if (state.step >= run.maxSteps) return 'step-limit';
      const next = await it.next();
      if (next.done) break;
      index += 1;
      try {
        if ((await trainStep(run, state, next.value, index, progress)) === 'stop') return 'stopped';
      } finally {
        disposeBatch(next.value);
      }
    }
  } finally {
    await it.return?.();
  }
  if (index === 0 && state.batchInEpoch === 0) throw new EmptyDatasetError('trainData');
  return 'exhausted';
}

// One batch: the step itself, then logs, progress, callbacks and the periodic checkpoint.
async function trainStep<S>(run: RunContext<S>, state: RunState<S>, batch: Batch, index: number, progress: ProgressReporter): Promise<'stop' | 'go'> {
  if (state.probed === undefined) {
    state.probed = probe(run.model, batch, run.options.loss, run.options.tbptt, 'trainData');
    checkMetrics(run.metrics, state.probed.loss);
    checkResumedSetup(run, state, state.probed);
    await checkValidationData(run, state.probed);
  }
  if (index <= state.batchInEpoch) return 'go'; // resuming mid-epoch: skip what was already trained
  const learningRate = run.schedule.at(state.step, run.baseLearningRate);
  const r = trainBatch(run, state, batch, state.probed, learningRate);
  state.step += 1;
  state.batchInEpoch += 1;
  if (r.skipped) state.skippedSteps += 1;
  else addSums(state.sums, r.sums);
  const loss = r.skipped ? Number.NaN : r.sums.lossSum / r.sums.count;
  state.lastLoss = loss;
  state.steps.loss.push(loss);
  state.steps.gradNorm.push(r.gradNorm);
  state.steps.learningRate.push(learningRate);
  const logs: StepLogs = { step: state.step, epoch: state.epoch, batch: state.batchInEpoch, loss, gradNorm: r.gradNorm, learningRate, skipped: r.skipped };
  appendLog(run, { event: 'step', ...logs });
  progress.update(state.batchInEpoch, metricValues(state.sums, run.metrics));
  let stop = false;
  for (const cb of run.callbacks) if ((await cb.onBatchEnd?.(logs)) === 'stop') stop = true;
  if (run.options.checkpointEvery > 0 && state.step % run.options.checkpointEvery === 0) await writeCheckpoint(run, state);
  return stop ? 'stop' : 'go';
}
