import type { GridUnit, Shard, TaskId } from './grid.js';
import type { ModelKind, Sizing } from './sizing.js';
import type { VerdictRecord } from './verdicts.js';

/** Version of the results.json layout; bumped on any incompatible change. */
export const SCHEMA_VERSION = 2;

/** The machine a run was measured on. */
export interface MachineInfo {
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly totalMemBytes: number;
  readonly node: string;
  readonly tfjsBackend: string;
  readonly tfjsVersion: string;
  readonly onnxruntimeVersion: string | null;
  /** CPU model, cores and Node version in one string: speed numbers are comparable only between equal fingerprints. */
  readonly fingerprint: string;
}

/** Training and evaluation budget of one task (per seed). */
export interface Budget {
  readonly hiddenSize: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Time steps per training sequence, where the task chooses it (LM windows, adding-problem length). */
  readonly seqLen?: number;
  readonly learningRate: number;
  /** Cap on test examples evaluated (0 = the whole test split). */
  readonly maxEvalExamples: number;
  /** Learning-curve points (test metric evaluated on a subset during training). */
  readonly curvePoints: number;
}

/** What the whole run was asked to do. */
export interface RunConfig {
  readonly tasks: readonly TaskId[];
  readonly models: readonly ModelKind[];
  readonly seeds: readonly number[];
  readonly quick: boolean;
  readonly backend: string;
  readonly shard: Shard | null;
  readonly budgets: Readonly<Partial<Record<TaskId, Budget>>>;
  readonly startedAt: string;
}

/** Inference figures in both runtimes; `onnxruntime` is null when the model could not be exported or run. */
export interface RuntimePair {
  readonly tfjs: number;
  readonly onnxruntime: number | null;
}

/** Learning curve of one seed: training loss at logged steps, and the test metric at a few steps. */
export interface Curve {
  readonly step: readonly number[];
  readonly trainLoss: readonly number[];
  readonly evalStep: readonly number[];
  readonly evalMetric: readonly number[];
}

/** Everything measured for one seed of one grid unit. */
export interface SeedResult {
  readonly seed: number;
  readonly metric: number;
  /** Secondary metrics (F1, RMSE, accuracy of a baseline, …) by name. */
  readonly extraMetrics: Readonly<Record<string, number>>;
  readonly trainStepMs: number;
  readonly epochMs: number;
  readonly trainMs: number;
  readonly inferLatencyMs: RuntimePair;
  readonly throughputPerSec: RuntimePair;
  readonly peakTensorBytes: number;
  readonly rssBytes: number;
  readonly curve: Curve;
}

/** The fields of a {@link SeedResult} measured in the speed phase (alone, one entry at a time). */
export const SPEED_FIELDS = ['trainStepMs', 'epochMs', 'inferLatencyMs', 'throughputPerSec', 'peakTensorBytes', 'rssBytes'] as const;
/** What the speed phase measures for one seed: step time, latency, throughput, peak tensor bytes and RSS. */
export type SeedSpeed = Pick<SeedResult, (typeof SPEED_FIELDS)[number]>;
/** What the training phase measures for one seed: the metric, the curves and the training wall time. */
export type SeedTraining = Omit<SeedResult, (typeof SPEED_FIELDS)[number]>;

/** Which code and which configuration produced a run: shards merge only when both agree. */
export interface Provenance {
  /** Version of @gated/compare. */
  readonly version: string;
  /** Git commit of the checkout (or GATED_GIT_COMMIT in an image); null when unknown. */
  readonly commit: string | null;
  /** SHA-256 of the requested grid (tasks, models, seeds, budgets, backend), shard excluded. */
  readonly configHash: string;
}

/** How the numbers of a run were measured. */
export interface MeasurementInfo {
  /** Processes that trained grid entries in parallel (1 = in the main process). */
  readonly trainingWorkers: number;
  /**
   * Speed and memory (step time, latency, throughput, peak tensor bytes, RSS) come from a separate phase before
   * training, in the main process, one seed of one entry at a time with no training running.
   */
  readonly speedPhase: 'alone-before-training';
  /** Optimizer steps of the speed phase per seed: warm-up steps, then timed ones (median reported). */
  readonly speedSteps: { readonly warmup: number; readonly timed: number };
}

/** Speed numbers of a merged run that came from more than one machine: which units each machine measured. */
export interface SpeedMachine {
  readonly fingerprint: string;
  readonly machine: MachineInfo;
  /** Unit keys (`task/model/sizing`) whose speed and memory were measured on this machine. */
  readonly units: readonly string[];
}

/** Mean and spread of a metric over seeds. */
export interface MetricSummary {
  readonly name: string;
  readonly mean: number;
  readonly std: number;
  readonly higherIsBetter: boolean;
  /** 95% Student-t interval of the mean; null for a single seed (no spread to estimate). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly n: number;
}

/** Learning curves averaged over seeds (same steps for every seed). */
export interface MeanCurves {
  readonly step: readonly number[];
  readonly trainLoss: readonly number[];
  readonly trainLossStd: readonly number[];
  readonly evalStep: readonly number[];
  readonly evalMetric: readonly number[];
  readonly evalMetricStd: readonly number[];
}

/** The model and training set-up of one grid unit. */
export interface UnitConfig {
  readonly hiddenSize: number;
  readonly input: string;
  readonly outputSize: number;
  readonly pooling: 'last' | 'mean' | 'none';
  readonly steps: number;
  readonly batchSize: number;
  readonly seqLen: number | null;
  readonly learningRate: number;
  readonly stepsPerEpoch: number;
  /** For equal-params units: the LSTM parameter count the hidden size was solved for. */
  readonly targetParams: number | null;
}

/** One entry of results.json: a task × model × sizing over all its seeds; numbers are means over seeds. */
export interface RunEntry extends GridUnit {
  readonly task: TaskId;
  readonly model: ModelKind;
  readonly sizing: Sizing;
  readonly config: UnitConfig;
  readonly seeds: readonly SeedResult[];
  readonly params: number;
  readonly weightBytes: number;
  readonly trainStepMs: number;
  readonly epochMs: number;
  readonly inferLatencyMs: RuntimePair;
  readonly throughputPerSec: RuntimePair;
  readonly peakTensorBytes: number;
  readonly rssBytes: number;
  readonly metric: MetricSummary;
  readonly extraMetrics: Readonly<Record<string, { readonly mean: number; readonly std: number }>>;
  readonly curves: MeanCurves;
}

/** A grid unit that could not be measured, and why. */
export interface FailureRecord extends GridUnit {
  readonly code: string;
  readonly message: string;
}

/** Gradient norm ‖∂L/∂h_t‖ over time steps, at initialisation and after training. */
export interface GradientFlowRecord {
  readonly task: TaskId;
  readonly model: ModelKind;
  readonly seed: number;
  readonly seqLen: number;
  readonly initial: readonly number[];
  readonly trained: readonly number[];
}

/** The whole results.json. */
export interface ResultsFile {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly machine: MachineInfo;
  readonly config: RunConfig;
  readonly provenance: Provenance;
  readonly measurement: MeasurementInfo;
  /**
   * Present only in a merge of runs from different machines: speed numbers are per machine, and speed verdicts
   * between entries of different machines are left out rather than mixed.
   */
  readonly speedMachines?: readonly SpeedMachine[];
  readonly runs: readonly RunEntry[];
  readonly verdicts: readonly VerdictRecord[];
  readonly gradientFlow: readonly GradientFlowRecord[];
  readonly failures: readonly FailureRecord[];
  /** Set once every unit of the run (or shard) finished; absent in a run that was interrupted. */
  readonly finishedAt?: string;
}
