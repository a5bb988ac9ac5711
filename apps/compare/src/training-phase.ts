import { aggregateEntry } from './aggregate.js';
import { describeError } from './describe-error.js';
import { type TaskId, unitKey } from './grid.js';
import { at, lookup } from './lookup.js';
import type { Progress } from './progress.js';
import type { SeedResult } from './results.js';
import type { SeedRunOutcome } from './run-compare.js';
import type { RunRecorder } from './run-recorder.js';
import type { UnitPlan } from './speed-phase.js';
import type { ExecutorEvents, SeedJob, TrainingExecutor } from './workers/seed-job.js';

/** What the training phase needs. */
export interface TrainingPhaseContext {
  readonly plans: readonly UnitPlan[];
  readonly seeds: readonly number[];
  /** Makes the executor the jobs run on (in this process or a worker pool), wired to the phase's events. */
  readonly createExecutor: (events: ExecutorEvents) => TrainingExecutor;
  readonly recorder: RunRecorder;
  readonly progress: Progress;
  /** Progress work of one optimizer step of a task. */
  readonly stepCost: (task: TaskId) => number;
  /** Whether a seed job runs the gradient-flow probe. */
  readonly probes: (job: Omit<SeedJob, 'id' | 'probeGradientFlow' | 'recordGates'>) => boolean;
  /** Whether a seed job records gate statistics. */
  readonly recordsGates: (job: Omit<SeedJob, 'id' | 'probeGradientFlow' | 'recordGates'>) => boolean;
}

interface UnitState {
  readonly plan: UnitPlan;
  readonly outcomes: Map<number, SeedRunOutcome>;
  failed: boolean;
}

/** The label of a job in the progress display. */
export function jobLabel(job: SeedJob, seeds: number): string {
  return `${unitKey(job.unit)} H=${job.hiddenSize} seed ${job.seed + 1}/${seeds}`;
}

/**
 * The training phase: every seed of every planned unit becomes a job; as many jobs run at once as the executor
 * has workers, in grid order. An entry is aggregated (the training results with the speed phase's numbers) and
 * written as soon as its last seed finishes; the first failing seed fails its unit and its remaining seeds are
 * skipped.
 */
export async function runTrainingPhase(ctx: TrainingPhaseContext): Promise<void> {
  const states = new Map<string, UnitState>(ctx.plans.map((plan) => [unitKey(plan.unit), { plan, outcomes: new Map(), failed: false }]));
  let id = 0;
  const jobs: SeedJob[] = ctx.plans.flatMap((plan) =>
    ctx.seeds.map((seed) => {
      const base = { unit: plan.unit, seed, hiddenSize: plan.hiddenSize, budget: plan.budget };
      return { id: id++, ...base, probeGradientFlow: ctx.probes(base), recordGates: ctx.recordsGates(base) };
    }),
  );
  const jobCost = (job: SeedJob): number => job.budget.steps * ctx.stepCost(job.unit.task);

  const finishUnit = async (state: UnitState): Promise<void> => {
    const { plan } = state;
    const seedResults: SeedResult[] = ctx.seeds.map((seed, i) => {
      const { result } = lookup(state.outcomes, seed, 'seed outcomes');
      const { curve, trainMs, ...quality } = result;
      return { ...quality, ...at(plan.speeds, i, 'plan.speeds'), trainMs, curve };
    });
    const last = lookup(state.outcomes, at(ctx.seeds, -1, 'seeds'), 'seed outcomes');
    const aggregated = aggregateEntry(
      {
        unit: plan.unit,
        config: plan.config,
        params: last.params,
        weightBytes: last.weightBytes,
        metricName: plan.definition.metric.name,
        higherIsBetter: plan.definition.metric.higherIsBetter,
      },
      seedResults,
    );
    const entry = plan.paired ? { ...aggregated, pairedSpeed: plan.paired } : aggregated;
    for (const seed of ctx.seeds) {
      const { gradientFlow, gateStats, attentionMaps } = lookup(state.outcomes, seed, 'seed outcomes');
      if (gradientFlow) ctx.recorder.addGradientFlow(gradientFlow);
      if (gateStats) ctx.recorder.addGateStats(gateStats);
      if (attentionMaps) ctx.recorder.addAttentionMaps(attentionMaps);
    }
    await ctx.recorder.addEntry(entry);
    ctx.progress.note(
      `✓ ${unitKey(plan.unit)}: ${entry.metric.name} ${entry.metric.mean.toPrecision(4)} ± ${entry.metric.std.toPrecision(2)}, ${entry.trainStepMs.toFixed(1)} ms/step`,
    );
  };

  // Steps each running job has reported, and the worker it runs on (for the progress display).
  const reported = new Map<number, number>();
  const workerOf = new Map<number, number>();
  const executor = ctx.createExecutor({
    onStart: (job, worker) => {
      workerOf.set(job.id, worker.index);
      ctx.progress.setWorker(worker.index, jobLabel(job, ctx.seeds.length));
    },
    onSteps: (job, steps) => {
      reported.set(job.id, (reported.get(job.id) ?? 0) + steps);
      ctx.progress.advance(steps * ctx.stepCost(job.unit.task));
    },
  });
  const settle = (job: SeedJob): void => {
    const left = Math.max(0, job.budget.steps - (reported.get(job.id) ?? 0));
    ctx.progress.advance(left * ctx.stepCost(job.unit.task));
    const worker = workerOf.get(job.id);
    if (worker !== undefined) ctx.progress.setWorker(worker, null);
    reported.delete(job.id);
    workerOf.delete(job.id);
  };

  const runJob = async (job: SeedJob): Promise<void> => {
    const state = lookup(states, unitKey(job.unit), 'unit states');
    if (state.failed) {
      ctx.progress.advance(jobCost(job));
      return;
    }
    try {
      state.outcomes.set(job.seed, await executor.run(job));
    } catch (error) {
      settle(job);
      if (state.failed) return;
      state.failed = true;
      const { code, message } = describeError(error);
      await ctx.recorder.addFailure({ ...job.unit, code, message });
      ctx.progress.note(`✗ ${unitKey(job.unit)}: ${message}`);
      return;
    }
    settle(job);
    if (!state.failed && state.outcomes.size === ctx.seeds.length) await finishUnit(state);
  };

  // Lanes pull jobs in grid order, so a worker tends to stay on one task (its data loads once per worker).
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) await runJob(at(jobs, next++, 'jobs'));
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(executor.size, jobs.length)) }, lane));
  } finally {
    await executor.close();
  }
}
