import { describe, expect, it } from 'vitest';
import { CONVERGENCE_TOLERANCE, convergence } from './convergence.js';

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
});
