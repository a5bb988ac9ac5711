import { ResultsFormatError } from './errors.js';
import { MODEL_KINDS, TASK_IDS, compareUnits, unitKey } from './grid.js';
import { ShardDuplicateError, ShardMismatchError, ShardMissingError } from './merge-errors.js';
import { canonicalJson as canonical, configHash } from './provenance.js';
import {
  SCHEMA_VERSION,
  SPEED_FIELDS,
  type AttentionMapRecord,
  type FailureRecord,
  type GateStatsRecord,
  type GradientFlowRecord,
  type ResultsFile,
  type RunEntry,
  type SpeedMachine,
} from './results.js';
import { sortAttentionMaps } from './run-recorder.js';
import { type VerdictRecord, computeVerdicts } from './verdicts.js';

type Input = { readonly file: string; readonly results: ResultsFile };

/** Speed-phase measures that depend on the machine (tensor bytes do not: the backend is part of the config). */
const MACHINE_DEPENDENT: ReadonlySet<string> = new Set(SPEED_FIELDS.filter((f) => f !== 'peakTensorBytes'));

function refuseMismatch(inputs: readonly Input[], field: 'config' | 'code version' | 'shard count' | 'sharding', value: (r: ResultsFile) => string): void {
  const values = Object.fromEntries(inputs.map((i) => [i.file, value(i.results)]));
  if (new Set(Object.values(values)).size > 1) throw new ShardMismatchError(field, values);
}

/** Refuses inputs that are not one grid's shards, each exactly once, from one code version. */
function checkInputs(inputs: readonly Input[]): void {
  for (const { file, results } of inputs) {
    if (results.schemaVersion !== SCHEMA_VERSION) {
      throw new ResultsFormatError(file, 'schemaVersion', String(SCHEMA_VERSION), String(results.schemaVersion));
    }
  }
  refuseMismatch(inputs, 'code version', (r) => `@gated/compare ${r.provenance.version} at ${r.provenance.commit ?? 'an unknown commit'}`);
  const shards = inputs.flatMap(({ file, results }) => (results.config.shard === null ? [] : [{ file, ...results.config.shard }]));
  const [firstShard] = shards;
  if (firstShard === undefined) return;
  refuseMismatch(inputs, 'sharding', (r) => (r.config.shard === null ? 'the whole grid' : 'a shard'));
  refuseMismatch(inputs, 'shard count', (r) => String(r.config.shard?.count));
  refuseMismatch(inputs, 'config', (r) => r.provenance.configHash);
  // Every input is a shard of `count` from here on.
  const { count } = firstShard;
  const byIndex = new Map<number, string[]>();
  for (const { file, index } of shards) byIndex.set(index, [...(byIndex.get(index) ?? []), file]);
  for (const [index, files] of [...byIndex].sort(([a], [b]) => a - b)) {
    if (files.length > 1) throw new ShardDuplicateError(`${index}/${count}`, files);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new ShardMissingError(count, missing, [...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`));
}

/**
 * Which machine measured each unit's speed, when the inputs come from more than one (null when all agree), and
 * the verdicts with speed verdicts between units of different machines left out — they are not comparable.
 */
function separateMachines(inputs: readonly Input[], verdicts: readonly VerdictRecord[]): { machines: SpeedMachine[] | null; verdicts: VerdictRecord[] } {
  const machines = new Map<string, SpeedMachine & { units: string[] }>();
  const machineOf = new Map<string, string>();
  for (const { results } of inputs) {
    const fp = results.machine.fingerprint;
    const m = machines.get(fp) ?? { fingerprint: fp, machine: results.machine, units: [] };
    machines.set(fp, m);
    for (const run of results.runs) {
      m.units.push(unitKey(run));
      machineOf.set(unitKey(run), fp);
    }
  }
  if (machines.size <= 1) return { machines: null, verdicts: [...verdicts] };
  const kept = verdicts.filter((v) => {
    if (!MACHINE_DEPENDENT.has(v.measure)) return true;
    const a = machineOf.get(unitKey({ task: v.task, model: v.favoured.model, sizing: v.favoured.sizing }));
    const b = machineOf.get(unitKey({ task: v.task, model: v.other.model, sizing: v.other.sizing }));
    return a === b;
  });
  const list = [...machines.values()]
    .map((m) => ({ ...m, units: [...new Set(m.units)].sort() }))
    .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { machines: list, verdicts: kept };
}

/**
 * Merges several runs (typically the shards of one grid) into one: runs, failures and gradient-flow records are
 * unioned and put in report order, verdicts recomputed over the merged runs. The output depends only on the
 * inputs' contents, never on their order. Refused, with a typed error: inputs of different code versions; shards
 * of different grids (config hash) or shard counts; a shard given twice ({@link ShardDuplicateError}) or missing
 * ({@link ShardMissingError}); the same unit with two different results. Speed numbers from different machines
 * are kept per machine (`speedMachines`) and never compared in a verdict.
 */
export function mergeResults(inputs: readonly Input[]): ResultsFile {
  checkInputs(inputs);
  const sorted = [...inputs].sort((a, b) => {
    const sa = a.results.config.shard?.index ?? 0;
    const sb = b.results.config.shard?.index ?? 0;
    const ca = canonical(a.results);
    const cb = canonical(b.results);
    return sa - sb || (ca < cb ? -1 : ca > cb ? 1 : 0);
  });
  const [firstInput] = sorted;
  if (firstInput === undefined) throw new ResultsFormatError('(none)', 'inputs', 'one or more results.json', 'none');
  const runs = new Map<string, { entry: RunEntry; file: string }>();
  const failures = new Map<string, FailureRecord>();
  const flows = new Map<string, GradientFlowRecord>();
  const gates = new Map<string, GateStatsRecord>();
  const attention = new Map<string, AttentionMapRecord[]>();
  for (const { file, results } of sorted) {
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
    // A unit's maps come from the one shard that trained it: keep them together, in the order the task chose.
    for (const m of results.attentionMaps ?? []) attention.set(`${m.task}/${m.model}/${m.seed}`, [...(attention.get(`${m.task}/${m.model}/${m.seed}`) ?? []), m]);
  }
  for (const key of runs.keys()) failures.delete(key);
  const first = firstInput.results;
  const configs = sorted.map((s) => s.results.config);
  const mergedRuns = [...runs.values()].map((r) => r.entry).sort(compareUnits);
  const tasks = TASK_IDS.filter((t) => configs.some((c) => c.tasks.includes(t)));
  const models = MODEL_KINDS.filter((m) => configs.some((c) => c.models.includes(m)));
  const seeds = [...new Set(configs.flatMap((c) => c.seeds))].sort((a, b) => a - b);
  const budgets = Object.assign({}, ...configs.map((c) => c.budgets)) as ResultsFile['config']['budgets'];
  const startedAt = configs.map((c) => c.startedAt).sort()[0] ?? first.config.startedAt;
  const finished = sorted.every((s) => s.results.finishedAt !== undefined);
  const finishedAt = sorted.map((s) => s.results.finishedAt ?? '').sort().at(-1) ?? '';
  const config = { ...first.config, tasks, models, seeds, budgets, startedAt, shard: null, quick: configs.every((c) => c.quick) };
  const { machines, verdicts } = separateMachines(sorted, computeVerdicts(mergedRuns));
  return {
    schemaVersion: SCHEMA_VERSION,
    machine: first.machine,
    config,
    provenance: { ...first.provenance, configHash: configHash({ tasks, models, seeds, quick: config.quick, backend: config.backend, budgets }) },
    measurement: { ...first.measurement, trainingWorkers: Math.max(...sorted.map((s) => s.results.measurement.trainingWorkers)) },
    ...(machines ? { speedMachines: machines } : {}),
    runs: mergedRuns,
    verdicts,
    gradientFlow: [...flows.values()].sort(
      (a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed,
    ),
    failures: [...failures.values()].sort(compareUnits),
    gateStats: [...gates.values()].sort((a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed),
    ...(attention.size > 0 ? { attentionMaps: sortAttentionMaps([...attention.values()].flat()) } : {}),
    ...(finished ? { finishedAt } : {}),
  };
}
