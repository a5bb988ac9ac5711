import { type Dataset, registerGradients } from '@gated/tensor';
import { assignWeights } from './fit/early-stopping.js';
import { endEpoch } from './fit/end-epoch.js';
import { type FitOptions, validateFitOptions } from './fit/fit-options.js';
import { type FitResult, fitResult } from './fit/fit-result.js';
import { resumeRun, writeCheckpoint } from './fit/resume.js';
import { createRunContext } from './fit/run-context.js';
import { createRunState, disposeRunState } from './fit/run-state.js';
import { trainEpoch } from './fit/train-epoch.js';
import { type TrainableModel, assertDataset, assertModel } from './model.js';
import { createProgress } from './progress.js';

export { FIT_DEFAULTS } from './fit/fit-options.js';
export type { Callbacks, EarlyStoppingOptions, FitOptions, StepLogs } from './fit/fit-options.js';
export type { FitResult } from './fit/fit-result.js';

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
export async function fit<S>(model: TrainableModel<S>, trainData: Dataset, options: FitOptions = {}): Promise<FitResult> {
  validateFitOptions(options);
  assertModel('fit model', model);
  assertDataset('fit trainData', trainData);
  if (options.validationData !== undefined) assertDataset('fit validationData', options.validationData);
  // Backward passes need tfjs's gradients, also when the caller set the backend without initBackend (idempotent).
  await registerGradients();
  const run = createRunContext(model, trainData, options);
  const state = createRunState<S>(run.earlyStopping);
  await resumeRun(run, state);
  const { progress: mode, progressStream: stream } = run.options;
  const progress = createProgress({ mode, ...(stream === undefined ? {} : { stream }) });
  try {
    for (const cb of run.callbacks) await cb.onTrainBegin?.({ step: state.step, epoch: state.epoch });
    while (state.epoch < run.totalEpochs && state.step < run.maxSteps) {
      const end = await trainEpoch(run, state, progress);
      if (end === 'stopped') state.stoppedEarly = true;
      if (end !== 'exhausted') break;
      if (await endEpoch(run, state, progress)) {
        state.stoppedEarly = true;
        break;
      }
    }
    await writeCheckpoint(run, state);
    if (run.earlyStopping?.restoreBestWeights && Object.keys(state.best).length > 0) assignWeights(run.params, state.best);
    const result = fitResult(run, state);
    for (const cb of run.callbacks) await cb.onTrainEnd?.(result);
    return result;
  } finally {
    progress.stop();
    disposeRunState(state);
    // An optimizer fit made is fit's to free; pass an Optimizer instance to keep its state across fits.
    if (run.ownsOptimizer) run.optimizer.dispose();
  }
}
