import type { RunEntry } from './results.js';

/** An entry counts as converged when its last held-out eval improved on the one before by less than this fraction. */
export const CONVERGENCE_TOLERANCE = 0.01;

/** Whether an entry's held-out curve had flattened by the end of training. */
export interface Convergence {
  /** 'converged' / 'not converged', or 'unknown' with fewer than two eval points. */
  readonly status: 'converged' | 'not converged' | 'unknown';
  /** Relative improvement of the last eval over the one before, in the better direction (negative = got worse). */
  readonly lastImprovement: number | null;
}

/**
 * Convergence of an entry from its mean held-out curve: the last eval's improvement over the previous one,
 * relative to the previous value's magnitude and signed so that positive is better. Below
 * {@link CONVERGENCE_TOLERANCE} (including getting worse) counts as converged.
 */
export function convergence(entry: Pick<RunEntry, 'curves' | 'metric'>): Convergence {
  const values = entry.curves.evalMetric;
  const [previous, last] = values.slice(-2);
  if (previous === undefined || last === undefined) return { status: 'unknown', lastImprovement: null };
  const gain = entry.metric.higherIsBetter ? last - previous : previous - last;
  const lastImprovement = previous === 0 ? (gain === 0 ? 0 : Number.POSITIVE_INFINITY) : gain / Math.abs(previous);
  return { status: lastImprovement < CONVERGENCE_TOLERANCE ? 'converged' : 'not converged', lastImprovement };
}
