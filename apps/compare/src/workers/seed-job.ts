import type { GridUnit, TaskId } from '../grid.js';
import type { Budget } from '../results.js';
import type { SeedRunOutcome, SeedRunner } from '../run-compare.js';
import type { PreparedTask, TaskDefinition } from '../tasks/task.js';

/** One seed of one grid unit to train: the unit of work handed to a worker. Plain data, so it crosses processes. */
export interface SeedJob {
  readonly id: number;
  readonly unit: GridUnit;
  readonly seed: number;
  readonly hiddenSize: number;
  readonly budget: Budget;
  readonly probeGradientFlow: boolean;
  /** Whether the seed records gate statistics (LSTM/GRU, equal hidden size, first seed). */
  readonly recordGates: boolean;
}

/** What trains seed jobs: the task registry and the seed runner (a worker process imports both from a module). */
export interface TrainingRuntime {
  readonly registry: Readonly<Record<TaskId, TaskDefinition>>;
  readonly runSeed: SeedRunner;
}

/** Where training happens: in this process (one at a time) or in a pool of worker processes. */
export interface TrainingExecutor {
  /** How many jobs run at once. */
  readonly size: number;
  /** Trains one job; rejects with the job's error (or the worker's death). */
  run(job: SeedJob): Promise<SeedRunOutcome>;
  /** Stops the workers and releases the loaded tasks. */
  close(): Promise<void>;
}

/** Callbacks of an executor, for progress: which worker took a job, and steps done. */
export interface ExecutorEvents {
  onStart?(job: SeedJob, worker: { readonly index: number; readonly pid: number }): void;
  onSteps?(job: SeedJob, steps: number): void;
}

/**
 * Runs seed jobs against a runtime, keeping the last prepared task loaded so consecutive jobs of one task (the
 * usual order) load its data once. Used in the main process (`--workers 1`) and inside each worker process.
 */
export class SeedJobRunner {
  private loaded: { readonly key: string; readonly task: PreparedTask } | null = null;

  constructor(private readonly runtime: TrainingRuntime) {}

  async run(job: SeedJob, onSteps: (steps: number) => void): Promise<SeedRunOutcome> {
    const definition = this.runtime.registry[job.unit.task];
    const key = `${job.unit.task} ${JSON.stringify(job.budget)}`;
    if (this.loaded?.key !== key) {
      this.dispose();
      this.loaded = { key, task: await definition.prepare(job.budget) };
    }
    return this.runtime.runSeed({
      definition,
      task: this.loaded.task,
      unit: job.unit,
      hiddenSize: job.hiddenSize,
      budget: job.budget,
      seed: job.seed,
      probeGradientFlow: job.probeGradientFlow,
      recordGates: job.recordGates,
      onSteps,
    });
  }

  dispose(): void {
    this.loaded?.task.dispose();
    this.loaded = null;
  }
}
