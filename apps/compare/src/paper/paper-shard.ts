import { MODEL_KINDS, type Shard } from '../grid.js';
import type { ModelKind } from '../sizing.js';
import { PAPER_TASK_IDS, type PaperTaskDefinition, type PaperTaskId } from './paper-task.js';

/** One unit of the paper suite: a model its paper reports, on one task (learning-rate search and every seed). */
export interface PaperUnit {
  readonly task: PaperTaskId;
  readonly model: ModelKind;
}

/** The units of the paper suite for the chosen tasks and models, in report order (task, then model). */
export function paperUnits(
  tasks: readonly PaperTaskId[],
  models: readonly ModelKind[],
  registry: Readonly<Record<PaperTaskId, Pick<PaperTaskDefinition, 'models'>>>,
): PaperUnit[] {
  const ordered = PAPER_TASK_IDS.filter((t) => tasks.includes(t));
  return ordered.flatMap((task) => MODEL_KINDS.filter((m) => models.includes(m) && registry[task].models[m] !== undefined).map((model) => ({ task, model })));
}

/**
 * Which shard (1-based) each unit goes to: the units by estimated cost, largest first, each to the shard with the
 * least estimated cost so far (the lowest index on a tie) — so shards of units as different as a 20k-parameter
 * music model and a T = 1000 copy model end up with similar totals. Equal costs (or none) deal round-robin in
 * report order. Deterministic: every shard process computes the same assignment.
 */
export function dealPaperUnits(units: readonly PaperUnit[], count: number, cost: (unit: PaperUnit) => number = () => 1): number[] {
  const order = units.map((u, i) => ({ i, c: cost(u) })).sort((a, b) => b.c - a.c || a.i - b.i);
  const load = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(units.length).fill(0);
  for (const { i, c } of order) {
    let least = 0;
    for (let s = 1; s < count; s++) if ((load[s] ?? 0) < (load[least] ?? 0)) least = s;
    load[least] = (load[least] ?? 0) + c;
    shardOf[i] = least + 1;
  }
  return shardOf;
}

/**
 * The units of shard `k` of `n` (see {@link dealPaperUnits}), in report order; every unit lands in exactly one
 * shard. A unit is indivisible: its learning-rate search and its seeds run in the shard that owns it.
 */
export function shardPaperUnits(units: readonly PaperUnit[], shard: Shard | null, cost?: (unit: PaperUnit) => number): PaperUnit[] {
  if (shard === null) return [...units];
  const shardOf = dealPaperUnits(units, shard.count, cost);
  return units.filter((_, i) => shardOf[i] === shard.index);
}
