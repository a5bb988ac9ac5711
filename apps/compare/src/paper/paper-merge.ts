import { ResultsFormatError } from '../errors.js';
import { MODEL_KINDS } from '../grid.js';
import { at } from '../lookup.js';
import { ShardDuplicateError, ShardMismatchError, ShardMissingError } from '../merge-errors.js';
import { canonicalJson } from '../provenance.js';
import { readResultsJson } from '../run-dir.js';
import { PAPER_SCHEMA_VERSION, type PaperEntry, type PaperResultsFile } from './paper-results.js';
import { publishedVerdict } from './published-verdict.js';
import { PAPER_TASK_IDS } from './paper-task.js';

type Input = { readonly file: string; readonly results: PaperResultsFile };

/** The parsed results.json at `path` (a run directory or the file) and whether the paper suite wrote it. */
export function readAnyResults(path: string): { readonly file: string; readonly data: unknown; readonly paper: boolean } {
  const { file, data } = readResultsJson(path);
  const paper = typeof data === 'object' && data !== null && (data as { suite?: unknown }).suite === 'paper';
  return { file, data, paper };
}

/** A paper-suite results.json, checked for the fields a merge relies on. */
export function asPaperResults(file: string, data: unknown): PaperResultsFile {
  const r = data as Partial<PaperResultsFile>;
  if (r.schemaVersion !== PAPER_SCHEMA_VERSION) throw new ResultsFormatError(file, 'schemaVersion', String(PAPER_SCHEMA_VERSION), String(r.schemaVersion));
  for (const field of ['machine', 'config', 'entries', 'failures'] as const) {
    if (typeof r[field] !== 'object' || r[field] === null) throw new ResultsFormatError(file, field, 'an object or array', String(r[field]));
  }
  if (!Array.isArray(r.entries)) throw new ResultsFormatError(file, 'entries', 'an array', typeof r.entries);
  if (!Array.isArray(r.failures)) throw new ResultsFormatError(file, 'failures', 'an array', typeof r.failures);
  return r as PaperResultsFile;
}

function refuseMismatch(inputs: readonly Input[], field: 'config' | 'code version' | 'shard count' | 'sharding', value: (r: PaperResultsFile) => string): void {
  const values = Object.fromEntries(inputs.map((i) => [i.file, value(i.results)]));
  if (new Set(Object.values(values)).size > 1) throw new ShardMismatchError(field, values);
}

const order = (task: string, model: string): number => PAPER_TASK_IDS.indexOf(task as never) * 10 + MODEL_KINDS.indexOf(model as never);

/**
 * Merges the shards of one paper-suite run into the results.json an unsharded run would have written: every
 * shard of the same count exactly once (else {@link ShardMissingError} / {@link ShardDuplicateError}), one
 * configuration and one code version (else {@link ShardMismatchError}); entries and failures in report order, CPU
 * time summed, wall time the longest shard's. Verdicts are derived from the stored interval and published value,
 * so they are recomputed: a merged report always follows the current {@link publishedVerdict} rule.
 */
export function mergePaperResults(inputs: readonly Input[]): PaperResultsFile {
  const [head] = inputs;
  if (head === undefined) throw new ShardMissingError(0, [], []);
  refuseMismatch(inputs, 'code version', (r) => (r.provenance ? `@gated/compare ${r.provenance.version} at ${r.provenance.commit ?? 'an unknown commit'}` : 'not recorded'));
  refuseMismatch(inputs, 'sharding', (r) => (r.config.shard ? 'a shard' : 'the whole suite'));
  const { shard: _shard, startedAt: _started, ...first } = head.results.config;
  refuseMismatch(inputs, 'config', (r) => {
    const { shard: _s, startedAt: _t, ...rest } = r.config;
    return canonicalJson(rest) === canonicalJson(first) ? 'the first input’s' : canonicalJson(rest);
  });
  const sharded = inputs.flatMap(({ file, results }) => (results.config.shard ? [{ file, shard: results.config.shard }] : []));
  const allSharded = sharded.length === inputs.length;
  const count = sharded[0]?.shard.count ?? 1;
  if (allSharded) {
    refuseMismatch(inputs, 'shard count', (r) => String(r.config.shard?.count));
    const byIndex = new Map<number, string[]>();
    for (const { file, shard } of sharded) byIndex.set(shard.index, [...(byIndex.get(shard.index) ?? []), file]);
    for (const [index, files] of [...byIndex].sort(([a], [b]) => a - b)) if (files.length > 1) throw new ShardDuplicateError(`${index}/${count}`, files);
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length > 0) throw new ShardMissingError(count, missing, [...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`));
  } else if (inputs.length > 1) {
    throw new ShardDuplicateError('the whole suite', inputs.map((i) => i.file));
  }
  const all = inputs.map((i) => i.results);
  const entries = all
    .flatMap((r) => r.entries)
    .map(withCurrentVerdict)
    .sort((a, b) => order(a.task, a.model) - order(b.task, b.model));
  const failures = all.flatMap((r) => r.failures).sort((a, b) => order(a.task, a.model ?? '') - order(b.task, b.model ?? ''));
  const finishedAts = all.flatMap((r) => (r.finishedAt === undefined ? [] : [r.finishedAt]));
  const finished = finishedAts.length === all.length;
  const base = head.results;
  const { finishedAt: _f, ...rest } = base;
  return {
    ...rest,
    config: { ...base.config, shard: null, startedAt: at(all.map((r) => r.config.startedAt).sort(), 0, 'startedAt') },
    entries,
    failures,
    cpuSeconds: all.reduce((s, r) => s + r.cpuSeconds, 0),
    wallSeconds: Math.max(...all.map((r) => r.wallSeconds)),
    ...(allSharded ? { mergedShards: inputs.length } : {}),
    ...(finished ? { finishedAt: at(finishedAts.sort(), -1, 'finishedAt') } : {}),
  };
}

/** The entry with its verdict recomputed from its stored test interval and published value. */
function withCurrentVerdict(entry: PaperEntry): PaperEntry {
  if (entry.published === null) return entry;
  const { test } = entry;
  return { ...entry, verdict: publishedVerdict({ paper: entry.published, mean: test.mean, ciLow: test.ciLow, ciHigh: test.ciHigh, higherIsBetter: test.higherIsBetter }) };
}
