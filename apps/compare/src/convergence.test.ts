import { describe, expect, it } from 'vitest';
import { CONVERGENCE_TOLERANCE, PATIENCE_FRACTION, convergence } from './convergence.js';
import type { RunEntry } from './results.js';

const entry = (evalMetric: number[], higherIsBetter: boolean) => ({
  curves: { step: [], trainLoss: [], trainLossStd: [], evalStep: evalMetric.map((_, i) => i), evalMetric, evalMetricStd: [] },
  metric: { name: 'm', mean: 0, std: 0, higherIsBetter, ciLow: null, ciHigh: null, n: 1 },
});

describe('convergence', () => {
  it('is reached when the last eval improved on the one before by less than the tolerance', () => {
    expect(CONVERGENCE_TOLERANCE).toBe(0.01);
    expect(convergence(entry([3, 2.4, 2.39], false))).toEqual({ status: 'converged', lastImprovement: expect.closeTo(0.01 / 2.4, 9) });
    expect(convergence(entry([0.5, 0.9, 0.905], true)).status).toBe('converged');
  });

  it('is not reached while the last eval still improves by the tolerance or more', () => {
    expect(convergence(entry([3, 2.6, 2.4], false))).toMatchObject({ status: 'not converged' });
    expect(convergence(entry([0.5, 0.8, 0.9], true)).lastImprovement).toBeCloseTo(0.125, 9);
  });

  it('counts a last eval that got worse as converged (the curve turned), and needs two evals to say anything', () => {
    expect(convergence(entry([2.5, 2.4, 2.45], false))).toMatchObject({ status: 'converged', lastImprovement: expect.closeTo(-0.05 / 2.4, 9) });
    expect(convergence(entry([2.5], false))).toEqual({ status: 'unknown', lastImprovement: null });
  });

  it('judges an entry scored at its best validation checkpoint by early stopping: every seed a quarter of its budget past it', () => {
    expect(PATIENCE_FRACTION).toBe(0.25);
    const scoredAt = (bestSteps: number[]) => ({
      // A last eval that improves by 4%: the last-two rule alone would say "not converged".
      ...entry([0.3, 0.45, 0.432], false),
      seeds: bestSteps.map((bestStep) => ({ bestStep }) as RunEntry['seeds'][number]),
      config: { steps: 400 } as RunEntry['config'],
    });
    expect(convergence(scoredAt([100, 80, 100]))).toMatchObject({ status: 'converged', stepsPastBest: 300 });
    expect(convergence(scoredAt([100, 340, 60]))).toMatchObject({ status: 'not converged', stepsPastBest: 60 });
    expect(convergence(scoredAt([300, 300]))).toMatchObject({ status: 'converged', stepsPastBest: 100 });
    // Seeds without a checkpoint step (a budget scored at its last step) keep the last-two rule.
    expect(convergence({ ...scoredAt([]), seeds: [{} as RunEntry['seeds'][number]] })).toMatchObject({ status: 'not converged' });
    expect(convergence(scoredAt([])).stepsPastBest).toBeUndefined();
  });
});
