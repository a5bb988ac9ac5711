import { describeError } from './describe-error.js';
import { type GridUnit, type TaskId, unitKey } from './grid.js';
import type { SpeedRunner } from './measure-speed.js';
import type { Progress } from './progress.js';
import type { Budget, PairedTiming, SeedSpeed, UnitConfig } from './results.js';
import { unitPlan } from './run-compare.js';
import type { RunRecorder } from './run-recorder.js';
import type { SpeedRacer } from './speed-race.js';
import type { PreparedTask, TaskDefinition } from './tasks/task.js';

/** A unit ready to train: its model size and set-up, and the speed of each seed measured alone. */
export interface UnitPlan {
  readonly unit: GridUnit;
  readonly definition: TaskDefinition;
  readonly budget: Budget;
  readonly hiddenSize: number;
  readonly config: UnitConfig;
  /** Speed and memory by seed, in seed order. */
  readonly speeds: readonly SeedSpeed[];
  /** Step times and latencies from the task's speed race (equal-hidden units of raced tasks). */
  readonly paired?: PairedTiming;
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
  /** Times each task's equal-hidden models interleaved (the paired design of the speed verdicts); none: no race. */
  readonly runRace?: SpeedRacer;
  /** Prefix of the race ids, unique to this run and process (task ids are appended). */
  readonly raceId?: string;
}

/**
 * The speed phase: task by task (data loaded once), unit by unit, seed by seed, with nothing else running,
 * measures step time, latency, throughput, peak tensor bytes and RSS; then races the task's equal-hidden models
 * against each other in interleaved rounds (`runRace`), the paired timings the speed verdicts are decided on. A task
 * that cannot load or a unit whose measurement fails is recorded as failed and not trained; a race that fails
 * leaves its units without paired timings. Returns the plans of the units that will train.
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
      if (ctx.runRace) await race(ctx, ctx.runRace, taskId, task, budget, plans);
    } finally {
      task.dispose();
    }
  }
  return plans;
}

/** Runs the race of one task over its planned equal-hidden units and attaches each unit's timing to its plan. */
async function race(ctx: SpeedPhaseContext, runRace: SpeedRacer, taskId: TaskId, task: PreparedTask, budget: Budget, plans: UnitPlan[]): Promise<void> {
  const raced = plans.filter((p) => p.unit.task === taskId && p.unit.sizing === 'equal-hidden');
  if (raced.length < 2) return;
  ctx.progress.advance(0, `speed race ${taskId}: ${raced.map((p) => p.unit.model).join(' vs ')}`);
  try {
    const timings = await runRace({ task, budget, contestants: raced.map((p) => ({ unit: p.unit, hiddenSize: p.hiddenSize })), race: `${ctx.raceId ?? 'race'}/${taskId}` });
    for (const [i, plan] of plans.entries()) {
      const paired = timings.get(unitKey(plan.unit));
      if (paired && plan.unit.task === taskId) plans[i] = { ...plan, paired };
    }
  } catch (error) {
    // The per-seed speeds stand; the verdicts fall back to comparing them.
    ctx.progress.note(`✗ speed race ${taskId}: ${describeError(error).message}`);
  }
}
