import type { Shard } from '../grid.js';
import type { MachineInfo, MetricSummary } from '../results.js';
import type { ModelKind } from '../sizing.js';
import type { PaperBudget, PaperTaskId } from './paper-task.js';
import type { PublishedVerdict } from './published-verdict.js';

/** Version of the paper suite's results.json layout. */
export const PAPER_SCHEMA_VERSION = 1;

/** One learning-rate candidate tried on the validation split (seed 0). */
export interface LearningRateTrial {
  readonly learningRate: number;
  readonly bestValid: number;
  readonly bestStep: number;
  readonly steps: number;
}

/** One seed's run at the chosen learning rate. */
export interface PaperSeedResult {
  readonly seed: number;
  /** Test metric of the best-validation checkpoint. */
  readonly test: number;
  readonly bestValid: number;
  readonly bestStep: number;
  readonly steps: number;
  readonly stoppedEarly: boolean;
  readonly trainMs: number;
  readonly validCurve: { readonly step: readonly number[]; readonly metric: readonly number[] };
}

/** The hyper-parameters a model was trained with, the chosen learning rate among them. */
export interface PaperProtocol {
  readonly optimizer: 'adam';
  readonly learningRateGrid: readonly number[];
  readonly learningRate: number;
  readonly clipNorm: number;
  readonly batchSize: number;
  readonly searchSteps: number;
  readonly maxSteps: number;
  readonly evalEvery: number;
  readonly patience: number;
  readonly seqLen: number;
}

/** One row of the Published results: a model on a paper task over all its seeds. */
export interface PaperEntry {
  readonly task: PaperTaskId;
  readonly model: ModelKind;
  readonly hiddenSize: number;
  readonly params: number;
  readonly paperParams: number;
  readonly source: string;
  readonly protocol: PaperProtocol;
  readonly search: readonly LearningRateTrial[];
  readonly seeds: readonly PaperSeedResult[];
  readonly test: MetricSummary;
  readonly published: number | null;
  readonly verdict: PublishedVerdict | null;
}

/** The results.json of `gated compare --suite paper`. */
export interface PaperResultsFile {
  readonly suite: 'paper';
  readonly schemaVersion: typeof PAPER_SCHEMA_VERSION;
  readonly machine: MachineInfo;
  readonly config: {
    readonly tasks: readonly PaperTaskId[];
    readonly models: readonly ModelKind[];
    readonly seeds: readonly number[];
    readonly quick: boolean;
    readonly backend: string;
    readonly budgets: Readonly<Partial<Record<PaperTaskId, PaperBudget>>>;
    /** The shard this run covered (null: every unit); absent in runs written before the suite could be sharded. */
    readonly shard?: Shard | null;
    readonly startedAt: string;
  };
  /** The code that produced the run (shards merge only when it agrees); absent in older runs. */
  readonly provenance?: { readonly version: string; readonly commit: string | null };
  readonly entries: readonly PaperEntry[];
  readonly failures: readonly { readonly task: PaperTaskId; readonly model: ModelKind | null; readonly code: string; readonly message: string }[];
  /** CPU time of the process so far (user + system, seconds) and wall time (seconds). */
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  /** In a merge of shards: how many were merged. */
  readonly mergedShards?: number;
  readonly finishedAt?: string;
}
