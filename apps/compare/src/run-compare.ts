import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, nativeAvailable, nativeInfo, setNativeThreads } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import type { ProgressMode } from '@gated/trainer';
import type { BackendChoice } from './cli-args.js';
import { type GridUnit, type Shard, type TaskId, buildGrid, shardGrid } from './grid.js';
import { SPEED_STEPS, type SpeedRunRequest, type SpeedRunner } from './measure-speed.js';
import { Progress } from './progress.js';
import { machineFingerprint, provenanceOf } from './provenance.js';
import { writeReport } from './report.js';
import { type AttentionMapRecord, type Budget, type GateStatsRecord, type GradientFlowRecord, type KernelsInfo, type MachineInfo, type ResultsFile, SCHEMA_VERSION, type SeedTraining } from './results.js';
import { createRunDir, defaultRunDir } from './run-dir.js';
import { RunRecorder } from './run-recorder.js';
import { equalComputeSteps, trainStepFlops } from './flops.js';
import { type ModelKind, type ModelShape, modelParams, solveHiddenSize } from './sizing.js';
import { runSpeedPhase } from './speed-phase.js';
import { SPEED_RACE, type SpeedRacer } from './speed-race.js';
import type { EncoderDecoderTask, RecurrentTask, TaskDefinition, TaskModelSpec } from './tasks/task.js';
import { runTrainingPhase } from './training-phase.js';
import { TRAINING_KERNEL_THREADS, useTrainingThreads } from './training-threads.js';
import { inProcessExecutor } from './workers/in-process.js';
import { workerPool } from './workers/worker-pool.js';

/** What one seed of one unit needs: what its speed phase needs, and what training adds. */
export interface SeedRunRequest extends SpeedRunRequest {
  /** Run the gradient-flow probe at initialisation and after training. */
  readonly probeGradientFlow: boolean;
  /** Record gate statistics after training (LSTM/GRU). */
  readonly recordGates: boolean;
  /** Called as training advances, with the number of new steps done. */
  readonly onSteps: (steps: number) => void;
}

/** What the training phase of one seed produced (speed and memory come from the speed phase). */
export interface SeedRunOutcome {
  readonly result: SeedTraining;
  readonly params: number;
  readonly weightBytes: number;
  readonly gradientFlow?: GradientFlowRecord;
  readonly gateStats?: GateStatsRecord;
  /** Attention maps on a few test words (encoder–decoders with attention, first seed). */
  readonly attentionMaps?: readonly AttentionMapRecord[];
}

/** Trains one seed of one unit (the real one is `trainSeed` in measure-seed.ts; tests inject fakes). */
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
  /** Progress on stderr, in @gated/trainer's vocabulary (`none` for `--quiet`). */
  readonly progress: ProgressMode;
  readonly registry: Readonly<Record<TaskId, TaskDefinition>>;
  /** The training phase of one seed, in this process (`workers` 1). */
  readonly runSeed: SeedRunner;
  /** The speed phase of one seed (always in this process, alone). */
  readonly runSpeed: SpeedRunner;
  /** The speed race of a task's equal-hidden models (the paired design of the speed verdicts); absent: no race. */
  readonly runRace?: SpeedRacer;
  /** Worker processes that train grid entries in parallel (default 1: train in this process). */
  readonly workers?: number;
  /**
   * Module the worker processes import `registry` and `runSeed` from (default: the real tasks and training,
   * i.e. what the CLI passes in-process). Tests point it at fakes.
   */
  readonly workerRuntime?: string;
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
  if (unit.sizing !== 'equal-params') return { hiddenSize: budget.hiddenSize, targetParams: null };
  const target = modelParams(shapeOf('lstm', spec, budget.hiddenSize));
  return { hiddenSize: solveHiddenSize(shapeOf(unit.model, spec, budget.hiddenSize), target).hiddenSize, targetParams: target };
}

/** What planning a unit reads of a task: a recurrent stack's shape (its kind may be left out), or an encoder–decoder's FLOP count. */
export type PlannedTask = (Pick<RecurrentTask, 'model' | 'seqLen'> & { readonly kind?: 'recurrent' }) | Pick<EncoderDecoderTask, 'kind' | 'model' | 'seqLen' | 'stepFlops'>;

/** A task model's training FLOPs per step at a hidden size (see flops.ts for what is counted). */
export function stepFlopsOf(kind: ModelKind, task: PlannedTask, hiddenSize: number, batchSize: number): number {
  if (task.kind === 'encoder-decoder') return task.stepFlops(kind, hiddenSize, batchSize);
  return trainStepFlops({ ...shapeOf(kind, task.model, hiddenSize), seqLen: task.seqLen, batchSize, pooling: task.model.pooling });
}

/**
 * The training plan of a unit: its hidden size (see {@link hiddenSizeFor}), its optimizer steps — the budget's,
 * or for equal-compute as many as give the LSTM's training FLOPs ({@link equalComputeSteps}) — and the FLOPs of
 * one of its steps.
 */
export function unitPlan(unit: GridUnit, task: PlannedTask, budget: Budget): { hiddenSize: number; targetParams: number | null; steps: number; stepFlops: number } {
  const { hiddenSize, targetParams } = hiddenSizeFor(unit, task.model, budget);
  const stepFlops = stepFlopsOf(unit.model, task, hiddenSize, budget.batchSize);
  const steps =
    unit.sizing === 'equal-compute' ? equalComputeSteps(budget.steps, stepFlopsOf('lstm', task, budget.hiddenSize, budget.batchSize), stepFlops) : budget.steps;
  return { hiddenSize, targetParams, steps, stepFlops };
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
    kernels: kernelsInfo(),
    fingerprint: machineFingerprint({ cpuModel: cpu[0]?.model.trim() ?? 'unknown', cpus: cpu.length, node: process.version }),
  };
}

/** The kernels `implementation: 'auto'` runs here: native (with its ISA and threads), wasm, or plain tfjs ops. */
export function kernelsInfo(): KernelsInfo {
  if (nativeAvailable()) {
    const { isa, threads } = nativeInfo();
    return { path: 'native', isa, threads };
  }
  return { path: fusedAvailable() ? 'wasm' : 'tfjs', isa: null, threads: 1 };
}

/**
 * Runs the comparison grid (or one shard of it) in two phases. The speed phase measures, task by task and with
 * nothing else running, the step time, latency, throughput and memory of every unit and seed. The training
 * phase then trains every seed of every unit — in this process, or in `workers` worker processes at once — for
 * the metric, the curves and the gradient-flow probe. Each completed entry is written to results.json at once
 * (atomically), so an interrupted run leaves every finished entry readable; a task or unit that cannot run is
 * recorded as a failure with the reason, never as numbers. At the end: verdicts, report.md, report.html.
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
  const requested = Object.fromEntries(options.tasks.map((t) => [t, budgetOf(t)])) as Partial<Record<TaskId, Budget>>;
  // More workers than seed runs would only idle.
  const workers = Math.max(1, Math.min(options.workers ?? 1, units.length * seeds.length));
  // Progress counts work as steps weighted by a rough per-step cost (sequence length × hidden size), so the ETA
  // does not treat a language-model step like a CO2 step. A seed of the speed phase counts as its timed steps
  // plus about as much again for the inference timings.
  const stepCost = (task: TaskId): number => {
    const b = budgetOf(task);
    return ((b.seqLen ?? 100) * b.hiddenSize) / 6400;
  };
  const speedCost = (task: TaskId): number => 2 * Math.min(budgetOf(task).steps, SPEED_STEPS.warmup + SPEED_STEPS.timed) * stepCost(task);
  const progress = new Progress(
    units.reduce((sum, u) => sum + (budgetOf(u.task).steps * stepCost(u.task) + speedCost(u.task)) * seeds.length, 0),
    { mode: options.progress },
  );
  const startedAt = new Date().toISOString();
  const recorder = new RunRecorder(dir, {
    schemaVersion: SCHEMA_VERSION,
    machine: await machineInfo(backend),
    config: { tasks, models: options.models, seeds, quick: options.quick, backend, shard: options.shard, budgets, startedAt },
    provenance: provenanceOf({ tasks: options.tasks, models: options.models, seeds, quick: options.quick, backend, budgets: requested }),
    measurement: {
      trainingWorkers: workers,
      trainingKernelThreads: TRAINING_KERNEL_THREADS,
      speedPhase: 'alone-before-training',
      speedSteps: { warmup: SPEED_STEPS.warmup, timed: SPEED_STEPS.timed },
      ...(options.runRace ? { speedRace: { ...SPEED_RACE } } : {}),
    },
    runs: [],
    verdicts: [],
    gradientFlow: [],
    gateStats: [],
    failures: [],
  });
  await recorder.save();
  progress.note(`gated compare: ${units.length} units × ${seeds.length} seeds on ${backend}, ${workers} training worker(s) → ${dir}`);

  const plans = await runSpeedPhase({
    units,
    tasks,
    seeds,
    registry: options.registry,
    budgetOf,
    runSpeed: options.runSpeed,
    recorder,
    progress,
    cost: speedCost,
    ...(options.runRace ? { runRace: options.runRace, raceId: `${startedAt} pid ${process.pid}` } : {}),
  });
  const jobs = plans.length * seeds.length;
  const trainers = Math.min(workers, Math.max(1, jobs));
  progress.note(`speed phase done (${plans.length} units measured alone); training ${jobs} seed runs on ${trainers} worker(s)`);
  progress.advance(0, `training on ${trainers} worker(s)`);
  const speedThreads = useTrainingThreads();
  try {
    await runTrainingPhase({
      plans,
      seeds,
      recorder,
      progress,
      stepCost,
      probes: (job) => options.registry[job.unit.task].gradientFlowProbe === true && job.unit.sizing === 'equal-hidden' && job.seed === seeds[0],
      recordsGates: (job) => job.unit.model !== 'rnn' && job.unit.sizing === 'equal-hidden' && job.seed === seeds[0],
      createExecutor: (events) =>
        trainers > 1
          ? workerPool({
              size: trainers,
              // The backend this process resolved, so a worker never picks another one for `auto`.
              backend,
              events,
              ...(options.workerRuntime !== undefined ? { runtime: options.workerRuntime } : {}),
            })
          : inProcessExecutor({ registry: options.registry, runSeed: options.runSeed }, events),
    });
  } finally {
    if (speedThreads !== null) setNativeThreads(speedThreads);
  }
  await recorder.finish();
  progress.finish();
  const results = recorder.current;
  await writeReport(dir, results);
  return { dir, results };
}
