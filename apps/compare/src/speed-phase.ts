import { describeError } from './describe-error.js';
import { type GridUnit, type TaskId, unitKey } from './grid.js';
import type { SpeedRunner } from './measure-speed.js';
import type { Progress } from './progress.js';
import type { Budget, SeedSpeed, UnitConfig } from './results.js';
import { unitPlan } from './run-compare.js';
import type { RunRecorder } from './run-recorder.js';
import type { TaskDefinition } from './tasks/task.js';

/** A unit ready to train: its model size and set-up, and the speed of each seed measured alone. */
export interface UnitPlan {
  readonly unit: GridUnit;
  readonly definition: TaskDefinition;
  readonly budget: Budget;
  readonly hiddenSize: number;
  readonly config: UnitConfig;
  /** Speed and memory by seed, in seed order. */
  readonly speeds: readonly SeedSpeed[];
}

/** What the speed phase needs. */
export interface SpeedPhaseContext {
  readonly units: readonly GridUnit[];
  readonly tasks: readonly TaskId[];
  readonly seeds: readonly number[];
  readonly registry: Readonly<Record<TaskId, TaskDefinition>>;
  readonly budgetOf: (task: TaskId) => Budget;
  readonly runSpeed: SpeedRunner;
  readonly recorder: RunRecorder;
  readonly progress: Progress;
  /** Progress work of one seed of a task in this phase. */
  readonly cost: (task: TaskId) => number;
}

/**
 * The speed phase: task by task (data loaded once), unit by unit, seed by seed, with nothing else running,
 * measures step time, latency, throughput, peak tensor bytes and RSS. A task that cannot load or a unit whose
 * measurement fails is recorded as failed and not trained. Returns the plans of the units that will train.
 */
export async function runSpeedPhase(ctx: SpeedPhaseContext): Promise<UnitPlan[]> {
  const plans: UnitPlan[] = [];
  for (const taskId of ctx.tasks) {
    const definition = ctx.registry[taskId];
    const budget = ctx.budgetOf(taskId);
    const taskUnits = ctx.units.filter((u) => u.task === taskId);
    const skip = (n: number): void => ctx.progress.advance(n * ctx.cost(taskId));
    let task: Awaited<ReturnType<TaskDefinition['prepare']>>;
    try {
      ctx.progress.advance(0, `${taskId}: loading data`);
      task = await definition.prepare(budget);
    } catch (error) {
      const { code, message } = describeError(error);
      for (const unit of taskUnits) await ctx.recorder.addFailure({ ...unit, code, message });
      skip(taskUnits.length * ctx.seeds.length);
      ctx.progress.note(`✗ ${taskId}: ${message}`);
      continue;
    }
    try {
      for (const unit of taskUnits) {
        const plan = unitPlan(unit, task, budget);
        const { hiddenSize, targetParams } = plan;
        const unitBudget: Budget = { ...budget, steps: plan.steps };
        const speeds: SeedSpeed[] = [];
        try {
          for (const seed of ctx.seeds) {
            ctx.progress.advance(0, `speed ${unitKey(unit)} H=${hiddenSize} seed ${seed + 1}/${ctx.seeds.length}`);
            speeds.push(await ctx.runSpeed({ definition, task, unit, hiddenSize, budget: unitBudget, seed }));
            skip(1);
          }
        } catch (error) {
          const { code, message } = describeError(error);
          await ctx.recorder.addFailure({ ...unit, code, message });
          skip(ctx.seeds.length - speeds.length);
          ctx.progress.note(`✗ ${unitKey(unit)}: ${message}`);
          continue;
        }
        const spec = task.model;
        const config: UnitConfig = {
          hiddenSize,
          input: spec.input.kind === 'tokens' ? `tokens:${spec.input.vocabSize}→${spec.input.embeddingDim}` : `features:${spec.input.inputSize}`,
          outputSize: spec.outputSize,
          pooling: spec.pooling,
          steps: unitBudget.steps,
          stepFlops: plan.stepFlops,
          batchSize: budget.batchSize,
          seqLen: task.seqLen,
          learningRate: budget.learningRate,
          stepsPerEpoch: task.stepsPerEpoch,
          targetParams,
          evaluation: task.evaluation,
          ...(task.kind === 'encoder-decoder' ? { architecture: task.architecture } : {}),
        };
        plans.push({ unit, definition, budget: unitBudget, hiddenSize, config, speeds });
      }
    } finally {
      task.dispose();
    }
  }
  return plans;
}
