import type { ModelKind } from '../sizing.js';
import type { PaperBudget, PaperTaskDefinition } from './paper-task.js';

/** The most a unit (one model of one task: its learning-rate search and every seed) can cost. */
export interface UnitCostEstimate {
  /** Training runs: one per learning rate (seed 0), then the other seeds (seed 0 too when its search run is not reused). */
  readonly runs: number;
  /** Optimizer steps of every run together, none stopped early. */
  readonly steps: number;
  readonly validEvals: number;
  readonly testEvals: number;
  /** Estimated CPU seconds: steps, validation and test evaluations at the model's measured cost. */
  readonly cpuSeconds: number;
}

const runEvals = (steps: number, budget: PaperBudget): number => 1 + Math.ceil(steps / budget.evalEvery);

/**
 * The CPU time a unit of the paper suite costs at most (every run to its step budget; early stopping only makes it
 * cheaper), from the model's measured {@link PaperTaskDefinition.models} cost. Mirrors `runPaperSuite`: seed 0
 * trains once per learning rate for `searchSteps` steps, and that run is reused as seed 0's when `searchSteps`
 * equals `maxSteps`; every seed is scored once on the test split. The measured costs are of the `full` budget's
 * shape, so for `quick` budgets the estimate only orders units.
 */
export function estimateUnitCost(definition: PaperTaskDefinition, kind: ModelKind, budget: PaperBudget, seeds: number): UnitCostEstimate {
  const model = definition.models[kind];
  const cost = model?.cost ?? { stepMs: 0, validEvalMs: 0, testEvalMs: 0 };
  const reuse = budget.searchSteps === budget.maxSteps;
  const searchRuns = budget.learningRates.length;
  const seedRuns = Math.max(0, seeds - (reuse ? 1 : 0));
  const steps = searchRuns * budget.searchSteps + seedRuns * budget.maxSteps;
  const validEvals = searchRuns * runEvals(budget.searchSteps, budget) + seedRuns * runEvals(budget.maxSteps, budget);
  const testEvals = seeds;
  const ms = steps * cost.stepMs + validEvals * cost.validEvalMs + testEvals * cost.testEvalMs;
  return { runs: searchRuns + seedRuns, steps, validEvals, testEvals, cpuSeconds: ms / 1000 };
}

/** One line of {@link paperCostTable}. */
export interface UnitCostRow extends UnitCostEstimate {
  readonly task: PaperTaskDefinition['id'];
  readonly model: ModelKind;
  readonly maxSteps: number;
  readonly stepMs: number;
  readonly learningRates: readonly number[];
}

/** The cost table of the given units (task × model) at `budget` of each task, with a total line, as markdown. */
export function paperCostTable(rows: readonly UnitCostRow[], seeds: number): string {
  const lines = [
    '| Task | Model | Steps per run (max) | CPU ms/step | Seeds | LR candidates | Runs | Steps in all (max) | Est. CPU-min (max) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.task} | ${r.model} | ${r.maxSteps.toLocaleString('en-US')} | ${r.stepMs.toLocaleString('en-US')} | ${seeds} | ${r.learningRates.join(', ')} | ${r.runs} | ${r.steps.toLocaleString('en-US')} | ${(r.cpuSeconds / 60).toFixed(1)} |`,
    );
  }
  const total = rows.reduce((sum, r) => sum + r.cpuSeconds, 0) / 60;
  lines.push(`| **all** | | | | | | ${rows.reduce((s, r) => s + r.runs, 0)} | ${rows.reduce((s, r) => s + r.steps, 0).toLocaleString('en-US')} | **${total.toFixed(1)}** |`);
  return lines.join('\n');
}

/** The cost rows of every unit of `units` at the tasks' `full` (or `quick`) budgets. */
export function paperCostRows(
  units: readonly { readonly task: PaperTaskDefinition['id']; readonly model: ModelKind }[],
  registry: Readonly<Record<PaperTaskDefinition['id'], PaperTaskDefinition>>,
  seeds: number,
  quick = false,
): UnitCostRow[] {
  return units.map(({ task, model }) => {
    const definition = registry[task];
    const budget = definition.budgets[quick ? 'quick' : 'full'];
    const estimate = estimateUnitCost(definition, model, budget, seeds);
    return { task, model, maxSteps: budget.maxSteps, stepMs: definition.models[model]?.cost.stepMs ?? 0, learningRates: budget.learningRates, ...estimate };
  });
}
