import { SequenceModel } from '@gated/cells';
import { fit } from '@gated/trainer';
import { initForgetBias } from './forget-bias.js';
import { scheduleOptions } from './budget-schedule.js';
import type { GridUnit } from './grid.js';
import { measureInference, measureStepMemory, median, modelOptions } from './measure-seed.js';
import type { Budget, SeedSpeed } from './results.js';
import type { PreparedTask, RecurrentTask, TaskDefinition } from './tasks/task.js';

/** Optimizer steps the speed phase runs per seed: warm-up ones (kernel compilation, allocation), then timed ones. */
export const SPEED_STEPS = { warmup: 3, timed: 20 } as const;

/** What the speed phase needs for one seed of one unit. */
export interface SpeedRunRequest {
  readonly definition: TaskDefinition;
  readonly task: PreparedTask;
  readonly unit: GridUnit;
  readonly hiddenSize: number;
  readonly budget: Budget;
  readonly seed: number;
}

/** Measures the speed and memory of one seed of one unit (the real one is {@link measureSeedSpeed}; tests inject fakes). */
export type SpeedRunner = (request: SpeedRunRequest) => Promise<SeedSpeed>;

/**
 * The speed phase of one seed of one unit, meant to run alone on the machine: a fresh model of the unit (same
 * seed and data order as its training) trains for {@link SPEED_STEPS} warm-up + timed steps (the budget's
 * steps if fewer), giving the median step time; then batch-1 latency and batch-64 throughput in tfjs and
 * onnxruntime, the peak tensor bytes of one training step, and the process RSS.
 */
export async function measureSeedSpeed(request: SpeedRunRequest): Promise<SeedSpeed> {
  const { task } = request;
  switch (task.kind) {
    case 'encoder-decoder':
      return task.runSpeed(request);
    case 'recurrent':
      return task.runSpeed ? task.runSpeed(request) : fitSpeed(task, request);
  }
}

/** The speed phase of a recurrent task's seed through `fit` (see {@link measureSeedSpeed}). */
async function fitSpeed(task: RecurrentTask, request: SpeedRunRequest): Promise<SeedSpeed> {
  const { unit, hiddenSize, budget, seed } = request;
  const options = modelOptions(unit.model, task, hiddenSize, seed);
  const model = new SequenceModel(options);
  if (budget.forgetBias !== undefined) initForgetBias(model, budget.forgetBias);
  try {
    const steps = Math.min(budget.steps, SPEED_STEPS.warmup + SPEED_STEPS.timed);
    const stepMs: number[] = [];
    let last = performance.now();
    await fit(model, task.trainData(seed), {
      steps,
      loss: task.loss,
      learningRate: budget.learningRate,
      ...scheduleOptions(budget),
      clipNorm: 1,
      progress: 'none',
      callbacks: {
        onBatchEnd: () => {
          const now = performance.now();
          stepMs.push(now - last);
          last = now;
        },
      },
    });
    return await speedRecord(model, task, stepMs, () => measureStepMemory(options, task, budget.learningRate));
  } finally {
    model.dispose();
  }
}

/**
 * A seed's speed record from its timed training steps: the median step after the warm-up ones, the process RSS now,
 * inference latency and throughput of the trained `model`, then `peakBytes()` (one step's peak tensor memory).
 */
export async function speedRecord(model: SequenceModel, task: RecurrentTask, stepMs: readonly number[], peakBytes: () => Promise<number>): Promise<SeedSpeed> {
  // With fewer steps than the warm-up (tiny budgets), the last step is the best estimate there is.
  const trainStepMs = median(stepMs.slice(Math.min(SPEED_STEPS.warmup, Math.max(0, stepMs.length - 1))));
  const rssBytes = process.memoryUsage().rss;
  const inference = await measureInference(model, task);
  const peakTensorBytes = await peakBytes();
  return {
    trainStepMs,
    epochMs: trainStepMs * task.stepsPerEpoch,
    inferLatencyMs: inference.latency,
    throughputPerSec: inference.throughput,
    peakTensorBytes,
    rssBytes,
  };
}
