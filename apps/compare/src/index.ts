// The comparison app's programmatic API (the `gated` CLI is built on it).
export { main } from './main.js';
export { runCompare, hiddenSizeFor, machineInfo, shapeOf } from './run-compare.js';
export type { CompareOptions, SeedRunner, SeedRunRequest, SeedRunOutcome } from './run-compare.js';
export { trainSeed, measureInference, measureStepMemory, modelOptions, curveSteps, TIMING } from './measure-seed.js';
export { measureSeedSpeed, SPEED_STEPS } from './measure-speed.js';
export type { SpeedRunner, SpeedRunRequest } from './measure-speed.js';
export { resolveShard } from './shard-env.js';
export { configHash, machineFingerprint } from './provenance.js';
export { mergeResults } from './merge.js';
export { modelGradientFlow } from './gradient-flow.js';
export { buildGrid, shardGrid, parseShard, unitKey, compareUnits, TASK_IDS, MODEL_KINDS, SIZINGS } from './grid.js';
export type { TaskId, GridUnit, Shard } from './grid.js';
export { mean, std, summarize, studentTQuantile, studentTCdf, regularizedBeta, welchPValue } from './stats.js';
export type { SampleSummary } from './stats.js';
export { differenceVerdict, computeVerdicts, CLAIMS } from './verdicts.js';
export type { Verdict, VerdictRecord, VerdictSide, ClaimId } from './verdicts.js';
export { modelParams, recurrentParams, solveHiddenSize } from './sizing.js';
export type { ModelKind, ModelShape, Sizing, EqualParamsSolution } from './sizing.js';
export { SCHEMA_VERSION, SPEED_FIELDS } from './results.js';
export type {
  ResultsFile,
  RunEntry,
  SeedResult,
  MetricSummary,
  MachineInfo,
  RunConfig,
  Budget,
  UnitConfig,
  Curve,
  MeanCurves,
  RuntimePair,
  SeedSpeed,
  SeedTraining,
  Provenance,
  MeasurementInfo,
  SpeedMachine,
  FailureRecord,
  GradientFlowRecord,
} from './results.js';
export { readResults, writeResults, createRunDir, defaultRunDir, RESULTS_FILE } from './run-dir.js';
export { reportMarkdown, reportHtml, writeReport } from './report.js';
export { buildCharts, renderSvg } from './charts.js';
export type { Chart, ChartSpec } from './charts.js';
export { summaryTable, textTable } from './summary-table.js';
export { Progress, progressMode } from './progress.js';
export type { ProgressOptions } from './progress.js';
export { TASKS } from './tasks/registry.js';
export type { TaskDefinition, PreparedTask, TaskModelSpec, TaskInput, TaskScore, Predict } from './tasks/task.js';
export { generateAddingProblem } from './tasks/adding-problem.js';
export type { AddingProblemData } from './tasks/adding-problem.js';
export { COMMANDS, helpText, parseCommandLine, BACKENDS } from './cli-args.js';
export type { ParsedArgs, CommandName, BackendChoice } from './cli-args.js';
export { UsageError, TaskUnavailableError, RunExistsError, ResultsFormatError } from './errors.js';
export { ShardMissingError, ShardDuplicateError, ShardMismatchError } from './merge-errors.js';
export { WorkerExitedError, WorkerStartError } from './workers/worker-errors.js';
