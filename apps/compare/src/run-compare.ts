import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { GatedError, initBackend } from '@gated/tensor';
import { aggregateEntry } from './aggregate.js';
import type { BackendChoice } from './cli-args.js';
import { type GridUnit, type Shard, type TaskId, buildGrid, shardGrid, unitKey } from './grid.js';
import { Progress } from './progress.js';
import { writeReport } from './report.js';
import {
  type Budget,
  type FailureRecord,
  type GradientFlowRecord,
  type MachineInfo,
  type ResultsFile,
  type RunEntry,
  SCHEMA_VERSION,
  type SeedResult,
  type UnitConfig,
} from './results.js';
import { createRunDir, defaultRunDir, writeResults } from './run-dir.js';
import { type ModelKind, type ModelShape, modelParams, solveHiddenSize } from './sizing.js';
import type { PreparedTask, TaskDefinition, TaskModelSpec } from './tasks/task.js';
import { computeVerdicts } from './verdicts.js';

/** What one seed of one unit needs. */
export interface SeedRunRequest {
  readonly definition: TaskDefinition;
  readonly task: PreparedTask;
  readonly unit: GridUnit;
  readonly hiddenSize: number;
  readonly budget: Budget;
  readonly seed: number;
  /** Run the gradient-flow probe at initialisation and after training. */
  readonly probeGradientFlow: boolean;
  /** Called as training advances, with the number of new steps done. */
  readonly onSteps: (steps: number) => void;
}

/** What one seed produced. */
export interface SeedRunOutcome {
  readonly result: SeedResult;
  readonly params: number;
  readonly weightBytes: number;
  readonly gradientFlow?: GradientFlowRecord;
}

/** Trains and measures one seed of one unit (the real one lives in measure-seed.ts; tests inject fakes). */
export type SeedRunner = (request: SeedRunRequest) => Promise<SeedRunOutcome>;

/** Options of {@link runCompare}. */
export interface CompareOptions {
  readonly tasks: readonly TaskId[];
  readonly models: readonly ModelKind[];
  /** Number of seeds (0, 1, …, seeds − 1). */
  readonly seeds: number;
  readonly quick: boolean;
  /** Output directory; default `results/<timestamp>`. Must be new or empty. */
  readonly out?: string;
  readonly backend: BackendChoice;
  readonly shard: Shard | null;
  readonly progress: 'auto' | 'quiet';
  readonly registry: Readonly<Record<TaskId, TaskDefinition>>;
  readonly runSeed: SeedRunner;
  /** Where the terminal summary and notes go (default stdout). */
  readonly log?: (line: string) => void;
}

/** The model shape of a task at a hidden size, for parameter counting. */
export function shapeOf(kind: ModelKind, spec: TaskModelSpec, hiddenSize: number): ModelShape {
  const input = spec.input.kind === 'tokens' ? { vocabSize: spec.input.vocabSize, embeddingDim: spec.input.embeddingDim } : { inputSize: spec.input.inputSize };
  return { kind, ...input, hiddenSize, outputSize: spec.outputSize, ...(spec.bidirectional === true ? { bidirectional: true } : {}) };
}

/** The hidden size of a unit: the budget's, or for equal-params the one that matches the LSTM's parameter count. */
export function hiddenSizeFor(unit: GridUnit, spec: TaskModelSpec, budget: Budget): { hiddenSize: number; targetParams: number | null } {
  if (unit.sizing === 'equal-hidden') return { hiddenSize: budget.hiddenSize, targetParams: null };
  const target = modelParams(shapeOf('lstm', spec, budget.hiddenSize));
  return { hiddenSize: solveHiddenSize(shapeOf(unit.model, spec, budget.hiddenSize), target).hiddenSize, targetParams: target };
}

/** Facts about the machine and runtimes, recorded with every run. */
export async function machineInfo(backend: string): Promise<MachineInfo> {
  let ort: string | null = null;
  try {
    const mod = (await import('onnxruntime-node')) as { env?: { versions?: { node?: string; common?: string } } };
    ort = mod.env?.versions?.node ?? mod.env?.versions?.common ?? null;
  } catch {
    ort = null;
  }
  const cpu = cpus();
  return {
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    totalMemBytes: totalmem(),
    node: process.version,
    tfjsBackend: backend,
    tfjsVersion: tf.version_core,
    onnxruntimeVersion: ort,
  };
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof GatedError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'GATED_UNEXPECTED', message: `${error.name}: ${error.message}` };
  return { code: 'GATED_UNEXPECTED', message: String(error) };
}

/**
 * Runs the comparison grid (or one shard of it): for each task, loads its data once, then trains and measures
 * every model × sizing over every seed. Each completed entry is written to results.json at once (atomically), so
 * an interrupted run leaves every finished entry readable; a task that cannot run is recorded as failed units
 * with the reason, never as numbers. At the end: verdicts, report.md, report.html and the terminal summary.
 */
export async function runCompare(options: CompareOptions): Promise<{ dir: string; results: ResultsFile }> {
  const dir = options.out ?? defaultRunDir();
  createRunDir(dir);
  const backend = await initBackend({ backend: options.backend });
  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const grid = buildGrid(options.tasks, options.models);
  const units = options.shard ? shardGrid(grid, options.shard) : grid;
  const budgetOf = (task: TaskId): Budget => options.registry[task].budgets[options.quick ? 'quick' : 'default'];
  const tasks = options.tasks.filter((t) => units.some((u) => u.task === t));
  const budgets = Object.fromEntries(tasks.map((t) => [t, budgetOf(t)])) as Partial<Record<TaskId, Budget>>;
  // Progress counts work as steps weighted by a rough per-step cost (sequence length × hidden size), so the ETA
  // does not treat a language-model step like a CO2 step.
  const stepCost = (task: TaskId): number => {
    const b = budgetOf(task);
    return ((b.seqLen ?? 100) * b.hiddenSize) / 6400;
  };
  const progress = new Progress(
    units.reduce((sum, u) => sum + budgetOf(u.task).steps * seeds.length * stepCost(u.task), 0),
    { mode: options.progress === 'quiet' ? 'quiet' : 'auto' },
  );
  const runs: RunEntry[] = [];
  const failures: FailureRecord[] = [];
  const flows: GradientFlowRecord[] = [];
  let results: ResultsFile = {
    schemaVersion: SCHEMA_VERSION,
    machine: await machineInfo(backend),
    config: {
      tasks,
      models: options.models,
      seeds,
      quick: options.quick,
      backend,
      shard: options.shard,
      budgets,
      startedAt: new Date().toISOString(),
    },
    runs,
    verdicts: [],
    gradientFlow: flows,
    failures,
  };
  const save = async (): Promise<void> => {
    results = { ...results, runs: [...runs], failures: [...failures], gradientFlow: [...flows], verdicts: computeVerdicts(runs) };
    await writeResults(dir, results);
  };
  await save();
  progress.note(`gated compare: ${units.length} units × ${seeds.length} seeds on ${backend} → ${dir}`);

  for (const taskId of tasks) {
    const definition = options.registry[taskId];
    const budget = budgetOf(taskId);
    const taskUnits = units.filter((u) => u.task === taskId);
    let prepared: PreparedTask;
    try {
      progress.advance(0, `${taskId}: loading data`);
      prepared = await definition.prepare(budget);
    } catch (error) {
      const { code, message } = describeError(error);
      for (const unit of taskUnits) {
        failures.push({ ...unit, code, message });
        progress.advance(budget.steps * seeds.length * stepCost(taskId));
      }
      progress.note(`✗ ${taskId}: ${message}`);
      await save();
      continue;
    }
    try {
      for (const unit of taskUnits) {
        const { hiddenSize, targetParams } = hiddenSizeFor(unit, prepared.model, budget);
        const seedResults: SeedResult[] = [];
        let params = 0;
        let weightBytes = 0;
        try {
          for (const seed of seeds) {
            let done = 0;
            const label = `${unitKey(unit)} H=${hiddenSize} seed ${seed + 1}/${seeds.length}`;
            progress.advance(0, label);
            const outcome = await options.runSeed({
              definition,
              task: prepared,
              unit,
              hiddenSize,
              budget,
              seed,
              probeGradientFlow: unit.task === 'memory-adding' && unit.sizing === 'equal-hidden' && seed === seeds[0],
              onSteps: (n) => {
                done += n;
                progress.advance(n * stepCost(taskId), label);
              },
            });
            progress.advance(Math.max(0, budget.steps - done) * stepCost(taskId));
            seedResults.push(outcome.result);
            params = outcome.params;
            weightBytes = outcome.weightBytes;
            if (outcome.gradientFlow) flows.push(outcome.gradientFlow);
          }
        } catch (error) {
          const { code, message } = describeError(error);
          failures.push({ ...unit, code, message });
          // The seeds this unit will not run (the failing one counted as not started).
          progress.advance((seeds.length - seedResults.length) * budget.steps * stepCost(taskId));
          progress.note(`✗ ${unitKey(unit)}: ${message}`);
          await save();
          continue;
        }
        const config: UnitConfig = {
          hiddenSize,
          input: prepared.model.input.kind === 'tokens' ? `tokens:${prepared.model.input.vocabSize}→${prepared.model.input.embeddingDim}` : `features:${prepared.model.input.inputSize}`,
          outputSize: prepared.model.outputSize,
          pooling: prepared.model.pooling,
          steps: budget.steps,
          batchSize: budget.batchSize,
          seqLen: prepared.seqLen,
          learningRate: budget.learningRate,
          stepsPerEpoch: prepared.stepsPerEpoch,
          targetParams,
        };
        const entry = aggregateEntry(
          { unit, config, params, weightBytes, metricName: definition.metric.name, higherIsBetter: definition.metric.higherIsBetter },
          seedResults,
        );
        runs.push(entry);
        await save();
        progress.note(
          `✓ ${unitKey(unit)}: ${entry.metric.name} ${entry.metric.mean.toPrecision(4)} ± ${entry.metric.std.toPrecision(2)}, ${entry.trainStepMs.toFixed(1)} ms/step`,
        );
      }
    } finally {
      prepared.dispose();
    }
  }
  results = { ...results, finishedAt: new Date().toISOString() };
  await save();
  progress.finish();
  await writeReport(dir, results);
  return { dir, results };
}
