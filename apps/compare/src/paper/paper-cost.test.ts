import { describe, expect, it } from 'vitest';
import { estimateUnitCost, paperCostRows, paperCostTable } from './paper-cost.js';
import { dealPaperUnits, paperUnits, shardPaperUnits } from './paper-shard.js';
import { PAPER_DEFAULT_TASKS, type PaperBudget, type PaperTaskDefinition } from './paper-task.js';
import { PAPER_TASKS } from './registry.js';

const BUDGET: PaperBudget = { batchSize: 8, learningRates: [0.01, 0.02], searchSteps: 100, maxSteps: 100, evalEvery: 25, patience: 2, clipNorm: 1 };
const TASK = { ...PAPER_TASKS['memory-copy'], models: { lstm: { hiddenSize: 4, published: 1, cost: { stepMs: 10, validEvalMs: 2, testEvalMs: 3 } } } } as PaperTaskDefinition;

describe('paper suite cost', () => {
  it('estimates a unit as its search runs plus the other seeds, every run to its budget (hand count)', () => {
    // Seed 0's search run is reused: 2 search runs + 4 seeds = 6 runs of 100 steps, 5 validations each (step 0, 25…100), 5 tests.
    expect(estimateUnitCost(TASK, 'lstm', BUDGET, 5)).toEqual({ runs: 6, steps: 600, validEvals: 30, testEvals: 5, cpuSeconds: (600 * 10 + 30 * 2 + 5 * 3) / 1000 });
    // A shorter search is not reused: 2 runs of 50 steps (3 validations each) + 5 seeds of 100 (5 each).
    expect(estimateUnitCost(TASK, 'lstm', { ...BUDGET, searchSteps: 50 }, 5)).toEqual({ runs: 7, steps: 600, validEvals: 31, testEvals: 5, cpuSeconds: (600 * 10 + 31 * 2 + 5 * 3) / 1000 });
  });

  it('keeps the default paper suite with 5 seeds within 70 CPU-minutes on the measured step costs', () => {
    const rows = paperCostRows(paperUnits([...PAPER_DEFAULT_TASKS], ['lstm', 'gru', 'rnn'], PAPER_TASKS), PAPER_TASKS, 5);
    expect(rows.map((r) => `${r.task}/${r.model}`)).toEqual(['music-jsb/lstm', 'music-jsb/gru', 'music-jsb/rnn', 'memory-adding/lstm', 'memory-adding/gru', 'memory-copy/lstm', 'memory-copy/gru']);
    const minutes = rows.reduce((s, r) => s + r.cpuSeconds, 0) / 60;
    expect(minutes).toBeGreaterThan(30);
    expect(minutes).toBeLessThanOrEqual(70);
    expect(paperCostTable(rows, 5)).toContain(`**${minutes.toFixed(1)}**`);
  });
});

describe('dealing paper units to shards', () => {
  const units = paperUnits([...PAPER_DEFAULT_TASKS], ['lstm', 'gru', 'rnn'], PAPER_TASKS);

  it('deals units of equal cost round-robin in report order', () => {
    expect(dealPaperUnits(units, 3)).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  it('gives the costliest unit first to the least-loaded shard, so unequal units balance', () => {
    // Costs 5, 1, 1, 4, 1, 1, 3: largest first → 5→1, 4→2, 3→2 (4 < 5), then the 1s to the lighter shard each time.
    const costs = [5, 1, 1, 4, 1, 1, 3];
    const shardOf = dealPaperUnits(units, 2, (u) => costs[units.indexOf(u)] ?? 0);
    const load = [1, 2].map((k) => costs.reduce((s, c, i) => s + (shardOf[i] === k ? c : 0), 0));
    expect(load).toEqual([8, 8]);
    // Round-robin would give 5+1+1+3 = 10 against 1+4+1 = 6.
  });

  it('balances the default suite at its budgets better than round-robin, each unit in exactly one shard', () => {
    const rows = paperCostRows(units, PAPER_TASKS, 5);
    const cost = (u: (typeof units)[number]): number => rows[units.indexOf(u)]?.cpuSeconds ?? 0;
    const spread = (parts: (typeof units)[]): number => {
      const loads = parts.map((p) => p.reduce((s, u) => s + cost(u), 0));
      return Math.max(...loads) - Math.min(...loads);
    };
    for (const count of [2, 3, 4]) {
      const parts = Array.from({ length: count }, (_, i) => shardPaperUnits(units, { index: i + 1, count }, cost));
      expect(parts.flat().map((u) => `${u.task}/${u.model}`).sort()).toEqual(units.map((u) => `${u.task}/${u.model}`).sort());
      const roundRobin = Array.from({ length: count }, (_, i) => shardPaperUnits(units, { index: i + 1, count }));
      expect(spread(parts)).toBeLessThanOrEqual(spread(roundRobin));
      // The greedy bound: no shard exceeds another by more than the largest unit.
      expect(spread(parts)).toBeLessThanOrEqual(Math.max(...units.map(cost)));
    }
  });
});
