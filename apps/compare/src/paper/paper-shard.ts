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
 * The units of shard `k` of `n`: round-robin over the units in report order, as `shardGrid` does for the default
 * suite, so every unit lands in exactly one shard. A unit is indivisible: its learning-rate search and its seeds
 * run in the shard that owns it.
 */
export function shardPaperUnits(units: readonly PaperUnit[], shard: Shard | null): PaperUnit[] {
  return shard === null ? [...units] : units.filter((_, i) => i % shard.count === shard.index - 1);
}
