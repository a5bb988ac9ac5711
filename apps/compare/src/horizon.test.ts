import { describe, expect, it } from 'vitest';
import { MEAN_PREDICTOR_MSE, differingLengths, memoryHorizons, solves } from './horizon.js';
import { HORIZON_TASKS, horizonLength } from './tasks/horizon-sweep.js';
import { syntheticEntry } from './test-utils/synthetic-results.js';

const at = (model: 'lstm' | 'gru', T: number, metric: number[]) =>
  syntheticEntry({ task: `memory-adding-t${T}` as 'memory-adding-t50', model, sizing: 'equal-hidden' }, { stepMs: metric.map(() => 1), metric });

describe('memory horizon', () => {
  it('"solves" means MSE below 10% of the mean predictor (1/6)', () => {
    expect(MEAN_PREDICTOR_MSE).toBeCloseTo(1 / 6, 12);
    expect(solves(0.0166)).toBe(true);
    expect(solves(0.0167)).toBe(false);
  });

  it('takes the longest T each seed solves and the longest T the mean solves', () => {
    const runs = [
      at('lstm', 50, [0.001, 0.001, 0.001]),
      at('lstm', 100, [0.001, 0.15, 0.001]), // seed 1 fails at 100
      at('lstm', 200, [0.001, 0.16, 0.16]),
      at('gru', 50, [0.001, 0.001, 0.001]),
      at('gru', 100, [0.001, 0.001, 0.001]),
      at('gru', 200, [0.16, 0.16, 0.16]),
    ];
    const [lstm, gru] = memoryHorizons(runs);
    expect(lstm!.seedHorizons).toEqual([200, 50, 100]);
    expect(lstm!.horizon).toBe(50); // mean MSE at 100 is 0.05: not solved
    expect(gru!.seedHorizons).toEqual([100, 100, 100]);
    expect(gru!.horizon).toBe(100);
    // Both solve T = 50 in every seed and both fail nowhere entirely: 100 and 200 decide.
    expect(differingLengths(lstm!, gru!)).toEqual([100, 200]);
  });

  it('the sweep runs the adding problem at T = 50, 100, 200, 400 with the probe at the longest', () => {
    expect(HORIZON_TASKS.map((t) => horizonLength(t.id))).toEqual([50, 100, 200, 400]);
    expect(HORIZON_TASKS.map((t) => t.budgets.default.seqLen)).toEqual([50, 100, 200, 400]);
    expect(HORIZON_TASKS.map((t) => t.gradientFlowProbe === true)).toEqual([false, false, false, true]);
    expect(() => horizonLength('text-lm')).toThrow(/memory-adding-t<T>/);
  });
});
