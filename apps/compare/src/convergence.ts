import type { RunEntry } from './results.js';

/** An entry counts as converged when its last held-out eval improved on the one before by less than this fraction. */
export const CONVERGENCE_TOLERANCE = 0.01;

/**
 * Early stopping's patience for entries scored at their best validation checkpoint, as a fraction of the budget: such
 * an entry has converged when every seed trained at least this share of its steps past its best checkpoint without
 * improving on it.
 */
export const PATIENCE_FRACTION = 0.25;

/** Whether an entry's held-out curve had flattened by the end of training. */
export interface Convergence {
  /** 'converged' / 'not converged', or 'unknown' with fewer than two eval points. */
  readonly status: 'converged' | 'not converged' | 'unknown';
  /** Relative improvement of the last eval over the one before, in the better direction (negative = got worse). */
  readonly lastImprovement: number | null;
  /** Entries scored at their best validation checkpoint: the fewest steps any seed trained past it without improving. */
  readonly stepsPastBest?: number;
}

/** What {@link convergence} reads of an entry; `seeds` and `config` matter only for best-checkpoint entries. */
export type ConvergenceInput = Pick<RunEntry, 'curves' | 'metric'> & Partial<Pick<RunEntry, 'seeds' | 'config'>>;

/**
 * Convergence of an entry from its mean held-out curve: the last eval's improvement over the previous one,
 * relative to the previous value's magnitude and signed so that positive is better. Below
 * {@link CONVERGENCE_TOLERANCE} (including getting worse) counts as converged. An entry whose every seed was scored
 * at its best validation checkpoint is judged by early stopping's rule instead: converged when every seed trained
 * at least {@link PATIENCE_FRACTION} of its budget past that checkpoint without improving on it.
 */
export function convergence(entry: ConvergenceInput): Convergence {
  const values = entry.curves.evalMetric;
  const [previous, last] = values.slice(-2);
  if (previous === undefined || last === undefined) return { status: 'unknown', lastImprovement: null };
  const gain = entry.metric.higherIsBetter ? last - previous : previous - last;
  const lastImprovement = previous === 0 ? (gain === 0 ? 0 : Number.POSITIVE_INFINITY) : gain / Math.abs(previous);
  const seeds = entry.seeds ?? [];
  const best = seeds.flatMap((s) => (s.bestStep === undefined ? [] : [s.bestStep]));
  if (entry.config !== undefined && best.length > 0 && best.length === seeds.length) {
    const { steps } = entry.config;
    const stepsPastBest = Math.min(...best.map((b) => steps - b));
    return { status: stepsPastBest >= PATIENCE_FRACTION * steps ? 'converged' : 'not converged', lastImprovement, stepsPastBest };
  }
  return { status: lastImprovement < CONVERGENCE_TOLERANCE ? 'converged' : 'not converged', lastImprovement };
}
