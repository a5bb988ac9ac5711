// The comparison app's programmatic API (the `gated` CLI is built on it).
export { main } from './main.js';
export { runCompare, hiddenSizeFor, machineInfo, shapeOf, stepFlopsOf, unitPlan } from './run-compare.js';
export { cellStepFlops, forwardFlops, trainStepFlops, equalComputeSteps, FLOP_CONVENTION } from './flops.js';
export type { FlopShape } from './flops.js';
export { memoryHorizons, differingLengths, solves, MEAN_PREDICTOR_MSE, SOLVED_DEFINITION } from './horizon.js';
export type { HorizonPoint, HorizonSummary } from './horizon.js';
export { convergence, CONVERGENCE_TOLERANCE } from './convergence.js';
export type { Convergence } from './convergence.js';
export { gateStatistics, heatmapSteps, measureGates, LEFT_SATURATED, RIGHT_SATURATED, SATURATED_UNIT_FRACTION } from './gate-stats.js';
export { summaryCharts } from './summary-charts.js';
export type { CompareOptions, SeedRunner, SeedRunRequest, SeedRunOutcome } from './run-compare.js';
export { trainSeed, measureInference, measureStepMemory, modelOptions, curveSteps, TIMING } from './measure-seed.js';
export { measureSeedSpeed, SPEED_STEPS } from './measure-speed.js';
export type { SpeedRunner, SpeedRunRequest } from './measure-speed.js';
export { resolveShard } from './shard-env.js';
export { configHash, machineFingerprint } from './provenance.js';
export { mergeResults } from './merge.js';
export { modelGradientFlow } from './gradient-flow.js';
export { buildGrid, shardGrid, parseShard, unitKey, compareUnits, isHorizonTask, TASK_IDS, DEFAULT_TASKS, HORIZON_TASK_IDS, MODEL_KINDS, SIZINGS } from './grid.js';
export type { TaskId, HorizonTaskId, GridUnit, Shard } from './grid.js';
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
  KernelsInfo,
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
  GateStatsRecord,
  GateStat,
  GateHeatmap,
  Histogram,
} from './results.js';
export { readResults, writeResults, createRunDir, defaultRunDir, RESULTS_FILE } from './run-dir.js';
export { reportMarkdown, reportHtml, writeReport } from './report.js';
export { buildCharts, renderSvg } from './charts.js';
export type { Chart, ChartSpec } from './charts.js';
export { summaryTable, textTable } from './summary-table.js';
export { Progress } from './progress.js';
export type { ProgressOptions } from './progress.js';
export { TASKS } from './tasks/registry.js';
export type { TaskDefinition, PreparedTask, TaskModelSpec, TaskInput, TaskScore, Predict } from './tasks/task.js';
export { generateAddingProblem } from './tasks/adding-problem.js';
export { HORIZON_TASKS, SOLVED_FRACTION, horizonLength, markedExample } from './tasks/horizon-sweep.js';
export type { AddingProblemData } from './tasks/adding-problem.js';
export { COMMANDS, helpText, parseCommandLine, BACKENDS } from './cli-args.js';
export type { ParsedArgs, CommandName, BackendChoice } from './cli-args.js';
export { UsageError, TaskUnavailableError, RunExistsError, ResultsFormatError } from './errors.js';
export { runPaperSuite } from './paper/run-paper.js';
export type { PaperSuiteOptions } from './paper/run-paper.js';
export { PAPER_TASKS } from './paper/registry.js';
export { PAPER_TASK_IDS } from './paper/paper-task.js';
export type { PaperTaskId, PaperTaskDefinition, PreparedPaperTask, PaperBudget, PaperModel, EvalSplit } from './paper/paper-task.js';
export { publishedVerdict } from './paper/published-verdict.js';
export type { PublishedVerdict, PublishedVerdictKind } from './paper/published-verdict.js';
export { publishedTable, paperReportMarkdown } from './paper/paper-report.js';
export type { PaperResultsFile, PaperEntry, PaperSeedResult, PaperProtocol, LearningRateTrial } from './paper/paper-results.js';
export { trainEarlyStopping } from './paper/train-early-stopping.js';
export type { EarlyStoppedRun, EarlyStoppingRequest } from './paper/train-early-stopping.js';
export { generateCopyMemory, copyMemoryBaseline, COPY_MEMORY_SYMBOLS, COPY_MEMORY_MARKER } from './tasks/copy-memory.js';
export type { CopyMemoryData } from './tasks/copy-memory.js';
export { generateBaiAddingProblem } from './tasks/adding-problem-bai.js';
export { ShardMissingError, ShardDuplicateError, ShardMismatchError } from './merge-errors.js';
export { WorkerExitedError, WorkerStartError } from './workers/worker-errors.js';
