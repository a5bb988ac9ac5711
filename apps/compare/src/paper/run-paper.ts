import { join } from 'node:path';
import { SequenceModel } from '@gated/cells';
import { ArgumentError, GatedError, initBackend, writeFileAtomic } from '@gated/tensor';
import type { BackendChoice } from '../cli-args.js';
import { at } from '../lookup.js';
import { predictor } from '../measure-seed.js';
import { RESULTS_FILE, createRunDir } from '../run-dir.js';
import { machineInfo } from '../run-compare.js';
import type { ModelKind } from '../sizing.js';
import { summarize } from '../stats.js';
import type { Shard } from '../grid.js';
import { gitCommit, packageVersion } from '../provenance.js';
import { useTrainingThreads } from '../training-threads.js';
import { estimateUnitCost } from './paper-cost.js';
import { paperUnits, shardPaperUnits } from './paper-shard.js';
import { PAPER_SCHEMA_VERSION, type LearningRateTrial, type PaperEntry, type PaperResultsFile, type PaperSeedResult } from './paper-results.js';
import { writePaperReport } from './paper-report.js';
import type { PaperBudget, PaperTaskDefinition, PaperTaskId, PreparedPaperTask } from './paper-task.js';
import { publishedVerdict } from './published-verdict.js';
import { trainEarlyStopping } from './train-early-stopping.js';

/** Options of {@link runPaperSuite}. */
export interface PaperSuiteOptions {
  readonly tasks: readonly PaperTaskId[];
  /** Models to run; each task runs those of them its paper reports. */
  readonly models: readonly ModelKind[];
  readonly seeds: number;
  readonly quick: boolean;
  readonly out: string;
  readonly backend: BackendChoice;
  readonly registry: Readonly<Record<PaperTaskId, PaperTaskDefinition>>;
  /** Run only this shard's units (see {@link shardPaperUnits}); null or absent: every unit. */
  readonly shard?: Shard | null;
  /** Progress lines (default stderr). */
  readonly log?: (line: string) => void;
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof GatedError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'GATED_UNEXPECTED', message: `${error.name}: ${error.message}` };
  return { code: 'GATED_UNEXPECTED', message: String(error) };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function trainSeed(
  kind: ModelKind,
  hiddenSize: number,
  task: PreparedPaperTask,
  budget: PaperBudget,
  learningRate: number,
  maxSteps: number,
  seed: number,
  withTest: boolean,
  log: (line: string) => void,
): Promise<PaperSeedResult & { params: number }> {
  if (task.trainSeed) return task.trainSeed({ kind, hiddenSize, budget, learningRate, maxSteps, seed, withTest, log });
  const spec = task.model;
  if (spec.input.kind !== 'features') throw new ArgumentError('task.model.input', 'float features', spec.input.kind);
  const model = new SequenceModel({ kind, inputSize: spec.input.inputSize, hiddenSize, outputSize: spec.outputSize, pooling: spec.pooling, seed });
  try {
    const every = Math.max(1, Math.floor(maxSteps / 4));
    const onStep = (step: number, loss: number): void => {
      if (step % every === 0) log(`    ${kind} lr ${learningRate} seed ${seed}: step ${step}/${maxSteps}, loss ${loss.toPrecision(4)}`);
    };
    const run = await trainEarlyStopping({ model, task, budget, learningRate, maxSteps, seed, onStep });
    const test = withTest
      ? await task.evaluate(predictor(model), 'test')
      : Number.NaN;
    return { seed, test, ...run, params: model.countParams() };
  } finally {
    model.dispose();
  }
}

/**
 * Runs the `paper` suite: for every task and every model its paper reports (at the paper's size), picks the
 * learning rate on the validation split (seed 0), trains every seed at that rate with early stopping, scores the
 * best-validation checkpoint on the test split, and compares the mean over seeds with the published number.
 * results.json and report.md are rewritten (atomically) after every model, so an interrupted run leaves every
 * finished row readable.
 */
export async function runPaperSuite(options: PaperSuiteOptions): Promise<{ dir: string; results: PaperResultsFile }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = options.out;
  createRunDir(dir);
  const backend = await initBackend({ backend: options.backend });
  // One native kernel thread per run, as the default suite trains: shards run side by side on the cores, and the
  // budgets' measured costs are at one thread.
  useTrainingThreads();
  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const budgetOf = (t: PaperTaskId): PaperBudget => options.registry[t].budgets[options.quick ? 'quick' : 'full'];
  const shard = options.shard ?? null;
  const estimate = (u: { task: PaperTaskId; model: ModelKind }): number => estimateUnitCost(options.registry[u.task], u.model, budgetOf(u.task), seeds.length).cpuSeconds;
  const units = shardPaperUnits(paperUnits(options.tasks, options.models, options.registry), shard, estimate);
  const entries: PaperEntry[] = [];
  const failures: PaperResultsFile['failures'][number][] = [];
  const wall0 = performance.now();
  let results: PaperResultsFile = {
    suite: 'paper',
    schemaVersion: PAPER_SCHEMA_VERSION,
    machine: await machineInfo(backend),
    config: {
      tasks: options.tasks,
      models: options.models,
      seeds,
      quick: options.quick,
      backend,
      budgets: Object.fromEntries(options.tasks.map((t) => [t, budgetOf(t)])),
      shard,
      startedAt: new Date().toISOString(),
    },
    provenance: { version: packageVersion(), commit: gitCommit() },
    entries,
    failures,
    cpuSeconds: 0,
    wallSeconds: 0,
  };
  const save = async (finished = false): Promise<void> => {
    results = {
      ...results,
      entries: [...entries],
      failures: [...failures],
      // The whole process: loading, data preparation, training and evaluation.
      cpuSeconds: cpuSeconds(),
      wallSeconds: (performance.now() - wall0) / 1000,
      ...(finished ? { finishedAt: new Date().toISOString() } : {}),
    };
    await writeFileAtomic(join(dir, RESULTS_FILE), `${JSON.stringify(results, null, 1)}\n`);
    await writePaperReport(dir, results);
  };
  await save();
  const part = shard === null ? '' : ` (shard ${shard.index}/${shard.count}: ${units.map((u) => `${u.task}/${u.model}`).join(', ') || 'no units'})`;
  const minutes = units.reduce((sum, u) => sum + estimate(u), 0) / 60;
  const cost = options.quick ? '' : `; at most ≈ ${minutes.toFixed(0)} CPU-minutes (estimated from measured step costs)`;
  log(`gated compare --suite paper: ${options.tasks.join(', ')} × ${seeds.length} seeds on ${backend}${part}${cost} → ${dir}`);

  for (const taskId of options.tasks) {
    const definition = options.registry[taskId];
    const budget = budgetOf(taskId);
    const kinds = units.filter((u) => u.task === taskId).map((u) => u.model);
    if (kinds.length === 0) continue;
    let task: PreparedPaperTask;
    try {
      task = await definition.prepare(budget);
    } catch (error) {
      failures.push({ task: taskId, model: null, ...describeError(error) });
      log(`✗ ${taskId}: ${describeError(error).message}`);
      await save();
      continue;
    }
    try {
      for (const kind of kinds) {
        try {
          const paperModel = definition.models[kind];
          if (paperModel === undefined) throw new ArgumentError('models', `a ${kind} model for ${taskId}`, 'none');
          const search: LearningRateTrial[] = [];
          let chosen: { lr: number; run: (PaperSeedResult & { params: number }) | null } = { lr: at(budget.learningRates, 0, 'learningRates'), run: null };
          let bestValid = Number.POSITIVE_INFINITY;
          const reuse = budget.searchSteps === budget.maxSteps;
          for (const lr of budget.learningRates) {
            const run = await trainSeed(kind, paperModel.hiddenSize, task, budget, lr, budget.searchSteps, 0, reuse, log);
            search.push({ learningRate: lr, bestValid: run.bestValid, bestStep: run.bestStep, steps: run.steps });
            log(`  ${taskId}/${kind} lr ${lr}: valid ${run.bestValid.toPrecision(4)} at step ${run.bestStep}/${run.steps}`);
            if (run.bestValid < bestValid) {
              bestValid = run.bestValid;
              chosen = { lr, run: reuse ? run : null };
            }
          }
          const seedResults: PaperSeedResult[] = [];
          let params = 0;
          for (const seed of seeds) {
            const run =
              seed === 0 && chosen.run !== null
                ? chosen.run
                : await trainSeed(kind, paperModel.hiddenSize, task, budget, chosen.lr, budget.maxSteps, seed, true, log);
            params = run.params;
            const { params: _, ...result } = run;
            seedResults.push(result);
            log(`  ${taskId}/${kind} seed ${seed}: test ${run.test.toPrecision(4)} (valid ${run.bestValid.toPrecision(4)} at step ${run.bestStep}/${run.steps})`);
          }
          const s = summarize(seedResults.map((r) => r.test));
          const test = {
            name: definition.metric.name,
            mean: s.mean,
            std: s.std,
            higherIsBetter: false,
            ciLow: Number.isFinite(s.ciLow) ? s.ciLow : null,
            ciHigh: Number.isFinite(s.ciHigh) ? s.ciHigh : null,
            n: s.n,
          };
          entries.push({
            task: taskId,
            model: kind,
            hiddenSize: paperModel.hiddenSize,
            params,
            paperParams: definition.paperParams,
            source: definition.source,
            protocol: {
              optimizer: 'adam',
              learningRateGrid: budget.learningRates,
              learningRate: chosen.lr,
              clipNorm: budget.clipNorm,
              batchSize: budget.batchSize,
              searchSteps: budget.searchSteps,
              maxSteps: budget.maxSteps,
              evalEvery: budget.evalEvery,
              patience: budget.patience,
              seqLen: task.seqLen,
            },
            search,
            seeds: seedResults,
            test,
            published: paperModel.published,
            verdict:
              paperModel.published === null
                ? null
                : publishedVerdict({ paper: paperModel.published, mean: test.mean, ciLow: test.ciLow, ciHigh: test.ciHigh, higherIsBetter: false }),
          });
          log(`✓ ${taskId}/${kind}: ${test.name} ${test.mean.toPrecision(4)} ± ${test.std.toPrecision(2)} (paper ${paperModel.published ?? '—'})`);
        } catch (error) {
          failures.push({ task: taskId, model: kind, ...describeError(error) });
          log(`✗ ${taskId}/${kind}: ${describeError(error).message}`);
        }
        await save();
      }
    } finally {
      task.dispose();
    }
  }
  await save(true);
  return { dir, results };
}
