import type { SequenceModel } from '@gated/cells';
import { type FitResult, type ProgressMode, fit } from '@gated/trainer';
import { BestCheckpoint } from '../best-checkpoint.js';
import { scheduleOptions } from '../budget-schedule.js';
import { UsageError } from '../errors.js';
import { curveSteps, predictor } from '../measure-seed.js';
import type { Budget } from '../results.js';
import type { RecurrentTask, TaskDefinition } from '../tasks/task.js';

/** Which weights `gated train` and `gated export` end with: the last step's, or the best validation checkpoint's. */
export const KEEP_CHOICES = ['last', 'best'] as const;
export type Keep = (typeof KEEP_CHOICES)[number];

/** `--keep`: what the user asked for, else what the task's budget does in the comparison (`bestCheckpoint`). */
export function parseKeep(value: string | undefined, budget: Pick<Budget, 'bestCheckpoint'>): Keep {
  if (value === undefined) return budget.bestCheckpoint === 'validation' ? 'best' : 'last';
  if (!(KEEP_CHOICES as readonly string[]).includes(value)) throw new UsageError('--keep', KEEP_CHOICES.join(' or '), value);
  return value as Keep;
}

/** What {@link trainTaskModel} returns. */
export interface TaskModelTraining {
  readonly result: FitResult;
  /** The step `fit` started from (0, or a resumed checkpoint's). */
  readonly startStep: number;
  /** Wall time of the training loop, validation evaluations excluded. */
  readonly trainMs: number;
  /** With keep `best`: the step whose weights the model now holds. */
  readonly bestStep?: number;
}

/** How {@link trainTaskModel} trains. */
export interface TaskModelTrainingOptions {
  readonly steps: number;
  readonly keep: Keep;
  readonly progress: ProgressMode;
  readonly seed?: number;
  readonly checkpointDir?: string;
  readonly resume?: boolean;
}

/**
 * Trains a task's model as the comparison does (Adam at the budget's rate and schedule, clipping at norm 1); with
 * keep `best`, scores the validation split at the budget's curve points and ends holding the best-scoring weights.
 */
export async function trainTaskModel(
  model: SequenceModel,
  definition: Pick<TaskDefinition, 'id' | 'metric'>,
  task: RecurrentTask,
  budget: Budget,
  options: TaskModelTrainingOptions,
): Promise<TaskModelTraining> {
  const { steps, keep, checkpointDir, resume } = options;
  if (keep === 'best') {
    // choosing on the split the result is scored on would leak it into the result
    if (task.evaluation.curve.split !== 'validation') {
      throw new UsageError('--keep', `'last' on ${definition.id} (its learning curve scores the ${task.evaluation.curve.split} split)`, "'best'");
    }
    // the scores before the checkpoint, and the weights that made them, are not in it
    if (resume === true) throw new UsageError('--keep', "'last' with --resume (the best checkpoint's earlier scores are not saved with the training checkpoint)", "'best'");
  }
  const best = keep === 'best' ? new BestCheckpoint(model, definition.metric.higherIsBetter) : undefined;
  const scoreAt = new Set(curveSteps(steps, budget.curvePoints));
  const predict = predictor(model);
  let startStep = 0;
  let evalMs = 0;
  const started = performance.now();
  try {
    const result = await fit(model, task.trainData(options.seed ?? 0), {
      steps,
      loss: task.loss,
      learningRate: budget.learningRate,
      ...scheduleOptions({ steps, schedule: budget.schedule }),
      clipNorm: 1,
      progress: options.progress,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(checkpointDir !== undefined ? { checkpointDir, checkpointEvery: Math.max(1, Math.floor(steps / 10)) } : {}),
      ...(resume === true ? { resume: true } : {}),
      callbacks: {
        onTrainBegin: ({ step }) => void (startStep = step),
        ...(best
          ? {
              onBatchEnd: async ({ step }) => {
                if (!scoreAt.has(step)) return;
                const e0 = performance.now();
                best.offer((await task.evaluate(predict, { subset: true })).metric, step);
                evalMs += performance.now() - e0;
              },
            }
          : {}),
      },
    });
    const trainMs = performance.now() - started - evalMs;
    best?.restore();
    return { result, startStep, trainMs, ...(best?.step !== undefined ? { bestStep: best.step } : {}) };
  } finally {
    best?.dispose();
  }
}
