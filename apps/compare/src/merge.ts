import { ResultsFormatError } from './errors.js';
import { MODEL_KINDS, TASK_IDS, compareUnits, unitKey } from './grid.js';
import { SCHEMA_VERSION, type FailureRecord, type GateStatsRecord, type GradientFlowRecord, type ResultsFile, type RunEntry } from './results.js';
import { computeVerdicts } from './verdicts.js';

// Key order of JSON.stringify follows insertion order, so compare through a canonical form.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Merges several runs (typically the shards of one grid) into one: runs, failures and gradient-flow records are
 * unioned and put in report order, verdicts recomputed over the merged runs. The output depends only on the
 * inputs' contents, never on their order. The same unit in two inputs is an error unless both hold identical
 * results; a unit that failed in one input and succeeded in another keeps the success.
 */
export function mergeResults(inputs: readonly { readonly file: string; readonly results: ResultsFile }[]): ResultsFile {
  if (inputs.length === 0) throw new ResultsFormatError('(none)', 'inputs', 'one or more results.json', 'none');
  const sorted = [...inputs].sort((a, b) => {
    const sa = a.results.config.shard?.index ?? 0;
    const sb = b.results.config.shard?.index ?? 0;
    const ca = canonical(a.results);
    const cb = canonical(b.results);
    return sa - sb || (ca < cb ? -1 : ca > cb ? 1 : 0);
  });
  const runs = new Map<string, { entry: RunEntry; file: string }>();
  const failures = new Map<string, FailureRecord>();
  const flows = new Map<string, GradientFlowRecord>();
  const gates = new Map<string, GateStatsRecord>();
  for (const { file, results } of sorted) {
    if (results.schemaVersion !== SCHEMA_VERSION) {
      throw new ResultsFormatError(file, 'schemaVersion', String(SCHEMA_VERSION), String(results.schemaVersion));
    }
    for (const entry of results.runs) {
      const key = unitKey(entry);
      const seen = runs.get(key);
      if (seen && canonical(seen.entry) !== canonical(entry)) {
        throw new ResultsFormatError(file, `runs[${key}]`, `a unit not already measured in ${seen.file}`, 'a second, different result');
      }
      runs.set(key, { entry, file });
    }
    for (const failure of results.failures) failures.set(unitKey(failure), failure);
    for (const flow of results.gradientFlow) flows.set(`${flow.task}/${flow.model}/${flow.seed}`, flow);
    for (const g of results.gateStats ?? []) gates.set(`${g.task}/${g.model}/${g.seed}`, g);
  }
  for (const key of runs.keys()) failures.delete(key);
  const first = sorted[0]!.results;
  const configs = sorted.map((s) => s.results.config);
  const mergedRuns = [...runs.values()].map((r) => r.entry).sort(compareUnits);
  const tasks = TASK_IDS.filter((t) => configs.some((c) => c.tasks.includes(t)));
  const models = MODEL_KINDS.filter((m) => configs.some((c) => c.models.includes(m)));
  const seeds = [...new Set(configs.flatMap((c) => c.seeds))].sort((a, b) => a - b);
  const budgets = Object.assign({}, ...configs.map((c) => c.budgets)) as ResultsFile['config']['budgets'];
  const startedAt = configs.map((c) => c.startedAt).sort()[0]!;
  const finished = sorted.every((s) => s.results.finishedAt !== undefined);
  const finishedAt = sorted.map((s) => s.results.finishedAt ?? '').sort().at(-1)!;
  return {
    schemaVersion: SCHEMA_VERSION,
    machine: first.machine,
    config: { ...first.config, tasks, models, seeds, budgets, startedAt, shard: null, quick: configs.every((c) => c.quick) },
    runs: mergedRuns,
    verdicts: computeVerdicts(mergedRuns),
    gradientFlow: [...flows.values()].sort(
      (a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed,
    ),
    failures: [...failures.values()].sort(compareUnits),
    gateStats: [...gates.values()].sort((a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed),
    ...(finished ? { finishedAt } : {}),
  };
}
