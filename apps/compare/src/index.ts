// The comparison app's public surface: its entry point and the types of the results it writes. Everything else
// in src/ is the app's own code (tests import it by relative path).

// Runs the `gated` command line in-process and returns its exit code; its options (where errors go, the environment).
export { main } from './main.js';
export type { MainOptions } from './main.js';

// `results.json` of `gated compare`: the file, its entries and their parts (see the README's "results.json").
export { SCHEMA_VERSION } from './results.js';
export type {
  ResultsFile,
  MachineInfo,
  KernelsInfo,
  RunConfig,
  Budget,
  Provenance,
  MeasurementInfo,
  SpeedMachine,
  RunEntry,
  UnitConfig,
  EvaluationSets,
  EvaluationSet,
  SeedResult,
  Curve,
  RuntimePair,
  MetricSummary,
  MeanCurves,
  FailureRecord,
  GradientFlowRecord,
  GateStatsRecord,
  GateStat,
  GateHeatmap,
  Histogram,
  AttentionMapRecord,
  PairedTiming,
} from './results.js';
// The grid vocabulary the results are keyed by: tasks, models, sizings, shards.
export type { TaskId, HorizonTaskId, GridUnit, Shard } from './grid.js';
export type { ModelKind, Sizing } from './sizing.js';
// The claims checked in `verdicts`.
export type { VerdictRecord, VerdictSide, Verdict, ClaimId } from './verdicts.js';

// `results.json` of `gated compare --suite paper`.
export { PAPER_SCHEMA_VERSION } from './paper/paper-results.js';
export type { PaperResultsFile, PaperEntry, PaperSeedResult, PaperProtocol, LearningRateTrial } from './paper/paper-results.js';
export type { PaperTaskId, PaperBudget } from './paper/paper-task.js';
export type { PublishedVerdict, PublishedVerdictKind } from './paper/published-verdict.js';
