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
  /**
   * Which compiled kernels produced the step times and latencies: the native addon (its instruction set and thread
   * count), the wasm SIMD kernels (one thread), or plain tfjs ops. Absent in results written before it existed.
   */
  readonly kernels?: KernelsInfo;
  /** CPU model, cores and Node version in one string: speed numbers are comparable only between equal fingerprints. */
  readonly fingerprint: string;
}

/** The recurrent kernels a run used (what `implementation: 'auto'` picks in this process). */
export interface KernelsInfo {
  readonly path: 'native' | 'wasm' | 'tfjs';
  /** The native GEMM's instruction set ('avx512', 'avx2', 'base'); null off the native path. */
  readonly isa: string | null;
  readonly threads: number;
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
  /**
   * LSTM forget-gate bias at initialisation (see forget-bias.ts; GRU and RNN have no forget gate); absent: the
   * cells' PyTorch initialisation, U(−1/√H, 1/√H) for every weight and bias.
   */
  readonly forgetBias?: number;
  /**
   * The learning-rate schedule of every model of the task (absent: the constant `learningRate`): `cosine` warms up
   * linearly over `warmupSteps`, then anneals to 0 at the unit's last step (its own `steps`, so an equal-compute
   * unit with more steps anneals over all of them).
   */
  readonly schedule?: BudgetSchedule;
  /**
   * Early stopping's checkpoint choice: the model is scored on the test split with the weights of its best
   * learning-curve evaluation, which must be on the validation split (absent: the weights of the last step).
   * Training still runs the whole budget, so every seed's curve covers the same steps.
   */
  readonly bestCheckpoint?: 'validation';
}

/** A budget's learning-rate schedule (see {@link Budget.schedule}). */
export interface BudgetSchedule {
  readonly kind: 'cosine';
  readonly warmupSteps: number;
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
  /** Training time (ms, evaluation excluded) when each eval point was reached; absent in older runs. */
  readonly evalTrainMs?: readonly number[];
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
  /** Step of the checkpoint the metric was scored with, when the budget keeps the best validation checkpoint. */
  readonly bestStep?: number;
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
   * Native kernel threads of each training run (1: grid entries are the unit of parallelism, and a fixed count
   * keeps the metrics the same for any number of workers). The speed phase's count is in `machine.kernels`.
   * Absent in files written before it was recorded.
   */
  readonly trainingKernelThreads?: number;
  /**
   * Speed and memory (step time, latency, throughput, peak tensor bytes, RSS) come from a separate phase before
   * training, in the main process, one seed of one entry at a time with no training running.
   */
  readonly speedPhase: 'alone-before-training';
  /** Optimizer steps of the speed phase per seed: warm-up steps, then timed ones (median reported). */
  readonly speedSteps: { readonly warmup: number; readonly timed: number };
  /**
   * The paired speed design behind the speed verdicts: per task, its equal-hidden models timed in interleaved
   * rounds (see speed-race.ts). Absent in results written before it existed (their verdicts compare per-seed means).
   */
  readonly speedRace?: { readonly warmupRounds: number; readonly rounds: number; readonly repeats: number };
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
  /** Mean training time (ms) at each eval point; absent in older runs. */
  readonly evalTrainMs?: readonly number[];
}

/** The examples a score is computed on. */
export interface EvaluationSet {
  /** The split the examples come from. */
  readonly split: 'test' | 'validation';
  /** How many examples are scored, in `unit`s. */
  readonly examples: number;
  /** What one example is: messages, clips, windows, sequences. */
  readonly unit: string;
  /** Examples in the whole split. */
  readonly of: number;
  /** 'all' the split, a 'stratified' sample (class proportions kept) or a 'random' one, seeded by `seed`. */
  readonly sampling: 'all' | 'stratified' | 'random';
  readonly seed: number | null;
}

/** The evaluation sets of a task: the reported (final) score's and the learning curves'. */
export interface EvaluationSets {
  readonly final: EvaluationSet;
  readonly curve: EvaluationSet;
}

/** The model and training set-up of one grid unit. */
export interface UnitConfig {
  readonly hiddenSize: number;
  readonly input: string;
  readonly outputSize: number;
  readonly pooling: 'last' | 'mean' | 'none';
  readonly steps: number;
  /** Training FLOPs of one step (forward and backward on one batch, as flops.ts counts them); absent in older runs. */
  readonly stepFlops?: number;
  readonly batchSize: number;
  readonly seqLen: number | null;
  readonly learningRate: number;
  readonly stepsPerEpoch: number;
  /** For equal-params units: the LSTM parameter count the hidden size was solved for. */
  readonly targetParams: number | null;
  /** What the metric and the curves were computed on (absent in results written before it was recorded). */
  readonly evaluation?: EvaluationSets;
  /**
   * Encoder–decoder tasks: the model's shape beyond the hidden size (attention, input feeding, decoding); absent
   * for recurrent stacks and in results written before it was recorded.
   */
  readonly architecture?: string;
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
  /** Timings from the speed race (equal-hidden entries of raced tasks); absent otherwise. */
  readonly pairedSpeed?: PairedTiming;
}

/**
 * An entry's step times and latencies from the speed race of its task: round i of every entry of one race was
 * timed back to back, so the rounds pair up across models (see paired-ratio.ts). Each value is the fastest of the
 * round's repetitions.
 */
export interface PairedTiming {
  /** Which race: entries pair only within one race (one process, one task). */
  readonly race: string;
  /**
   * Per round: CPU ms (every thread of the process) of a training step — the work a step costs, which other
   * programs on the machine cannot inflate by pre-empting it. The speed verdicts are decided on these.
   */
  readonly trainStepCpuMs: readonly number[];
  /** Per round: CPU ms of a batch-1 forward pass in tfjs. */
  readonly inferLatencyCpuMs: readonly number[];
  /** Per round: wall ms of a training step (informative: on a busy machine it includes waiting for a core). */
  readonly trainStepMs: readonly number[];
  /** Per round: wall ms of a batch-1 forward pass. */
  readonly inferLatencyMs: readonly number[];
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

/** A histogram: `counts[i]` values fell in [edges[i], edges[i+1]). */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/** One gate's activations on held-out data (see gate-stats.ts for the definitions). */
export interface GateStat {
  /** `input`, `forget`, `cell`, `output` (LSTM) or `reset`, `update`, `candidate` (GRU). */
  readonly gate: string;
  /** σ gates in [0, 1]; false for the tanh candidates (no saturation figures). */
  readonly sigmoid: boolean;
  readonly histogram: Histogram;
  /** Mean activation over all valid steps and units. */
  readonly mean: number;
  /** Per unit: fraction of valid steps below 0.1 / above 0.9. */
  readonly leftFraction: readonly number[] | null;
  readonly rightFraction: readonly number[] | null;
  /** Share of units left-/right-saturated for more than half the steps. */
  readonly leftSaturatedUnits: number | null;
  readonly rightSaturatedUnits: number | null;
}

/** One gate over time for one example: `values[i][j]` is unit j at time step `steps[i]`. */
export interface GateHeatmap {
  readonly gate: string;
  readonly seqLen: number;
  /** The example's marked steps (adding problem). */
  readonly marks: readonly number[];
  readonly steps: readonly number[];
  readonly values: readonly (readonly number[])[];
}

/** Gate statistics of one trained LSTM/GRU (first seed, equal hidden size) on held-out data. */
export interface GateStatsRecord {
  readonly task: TaskId;
  readonly model: ModelKind;
  readonly kind: 'lstm' | 'gru';
  readonly seed: number;
  readonly examples: number;
  readonly seqLen: number;
  readonly gates: readonly GateStat[];
  readonly heatmap?: GateHeatmap;
}

/**
 * Where an encoder–decoder looked while it spelled one test word (grapheme-to-phoneme tasks, first seed):
 * `weights[t][s]` is the attention on grapheme s when phoneme t was emitted (rows sum to 1; the last row is the
 * end of the word, `</s>`).
 */
export interface AttentionMapRecord {
  readonly task: TaskId;
  readonly model: ModelKind;
  readonly seed: number;
  readonly word: string;
  readonly graphemes: readonly string[];
  /** The greedy output, `</s>` last when the decoder ended the word. */
  readonly phonemes: readonly string[];
  /** The dictionary's first pronunciation. */
  readonly reference: readonly string[];
  readonly weights: readonly (readonly number[])[];
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
  /** Gate statistics of the trained gated models; absent in older runs. */
  readonly gateStats?: readonly GateStatsRecord[];
  /** Attention maps of the encoder–decoders with attention on a few test words; absent in runs without them. */
  readonly attentionMaps?: readonly AttentionMapRecord[];
  readonly failures: readonly FailureRecord[];
  /** Set once every unit of the run (or shard) finished; absent in a run that was interrupted. */
  readonly finishedAt?: string;
}
