import type { ModelKind, Sizing } from './sizing.js';
import { UsageError } from './errors.js';

/** Task ids of the memory-horizon sweep of the default suite: the adding problem at T = 50, 100, 200, 400. */
export const HORIZON_TASK_IDS = ['memory-adding-t50', 'memory-adding-t100', 'memory-adding-t200', 'memory-adding-t400'] as const;
/** A task of the memory-horizon sweep. */
export type HorizonTaskId = (typeof HORIZON_TASK_IDS)[number];
/**
 * Task ids of grapheme-to-phoneme conversion (CMUdict): encoder–decoders with attention (`text-g2p`) and the same
 * encoder–decoders without attention, the baseline (`text-g2p-plain`).
 */
export const G2P_TASK_IDS = ['text-g2p', 'text-g2p-plain'] as const;
/** A grapheme-to-phoneme task. */
export type G2PTaskId = (typeof G2P_TASK_IDS)[number];
/** Task ids in report order. */
export const TASK_IDS = ['text-lm', 'text-classify', ...G2P_TASK_IDS, 'speech-digits', 'speech-ctc', 'timeseries-co2', 'memory-adding', ...HORIZON_TASK_IDS] as const;
/** A task of the comparison. */
export type TaskId = (typeof TASK_IDS)[number];
/** The tasks `gated compare` runs by default: the single-length adding problem is replaced by the horizon sweep. */
export const DEFAULT_TASKS: readonly TaskId[] = TASK_IDS.filter((t) => t !== 'memory-adding');

/** Whether a task belongs to the memory-horizon sweep. */
export function isHorizonTask(task: TaskId): boolean {
  return (HORIZON_TASK_IDS as readonly string[]).includes(task);
}
/** Whether a task trains encoder–decoders (LSTM and GRU only: @gated/seq2seq has no plain-RNN cell). */
export function isG2PTask(task: TaskId): boolean {
  return (G2P_TASK_IDS as readonly string[]).includes(task);
}
/** Model kinds in report order. */
export const MODEL_KINDS: readonly ModelKind[] = ['lstm', 'gru', 'rnn'];
/** Sizings in report order. */
export const SIZINGS: readonly Sizing[] = ['equal-hidden', 'equal-params', 'equal-compute'];

/** One cell of the comparison grid: a model trained (over several seeds) on one task at one sizing. */
export interface GridUnit {
  readonly task: TaskId;
  readonly model: ModelKind;
  readonly sizing: Sizing;
}

/** A shard of the grid, 1-based: `{ index: 2, count: 4 }` is `--shard 2/4`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Stable key of a grid unit, e.g. `memory-adding/gru/equal-params`. */
export function unitKey(unit: GridUnit): string {
  return `${unit.task}/${unit.model}/${unit.sizing}`;
}

/** Sorts grid units (or run entries) into report order: task, then model, then sizing. */
export function compareUnits(a: GridUnit, b: GridUnit): number {
  return (
    TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task) ||
    MODEL_KINDS.indexOf(a.model) - MODEL_KINDS.indexOf(b.model) ||
    SIZINGS.indexOf(a.sizing) - SIZINGS.indexOf(b.sizing)
  );
}

/**
 * The grid for the chosen tasks and models, in report order: every model at equal hidden size, plus the GRU
 * widened to the LSTM's parameter count and the GRU trained for the LSTM's FLOPs (the LSTM is the reference of
 * both, and the RNN is compared at equal hidden size only). The memory-horizon sweep runs at equal hidden size
 * only: its question is how far back each cell remembers, and its lengths multiply the cost. The grapheme-to-phoneme
 * tasks compare LSTM and GRU encoder–decoders at equal hidden size (with and without attention are two tasks).
 */
export function buildGrid(tasks: readonly TaskId[], models: readonly ModelKind[]): GridUnit[] {
  const units: GridUnit[] = [];
  for (const task of tasks) {
    if (isG2PTask(task)) {
      for (const model of models) if (model !== 'rnn') units.push({ task, model, sizing: 'equal-hidden' });
      continue;
    }
    for (const model of models) units.push({ task, model, sizing: 'equal-hidden' });
    if (isHorizonTask(task)) continue;
    if (models.includes('gru')) units.push({ task, model: 'gru', sizing: 'equal-params' });
    if (models.includes('gru') && models.includes('lstm')) units.push({ task, model: 'gru', sizing: 'equal-compute' });
  }
  return units.sort(compareUnits);
}

/**
 * The units of shard `k` of `n`: round-robin over the grid in report order, so every unit lands in exactly one
 * shard and neighbouring (similarly expensive) units spread over shards. Deterministic: the same grid and shard
 * always give the same units.
 */
export function shardGrid(units: readonly GridUnit[], shard: Shard): GridUnit[] {
  return [...units].sort(compareUnits).filter((_, i) => i % shard.count === shard.index - 1);
}

/** Parses `k/n` (1 ≤ k ≤ n). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) {
    throw new UsageError('--shard', 'k/n with 1 ≤ k ≤ n, e.g. 2/4', JSON.stringify(text));
  }
  return { index, count };
}
