import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskId } from '../grid.js';
import { trainSeed } from '../measure-seed.js';
import type { Budget } from '../results.js';
import type { SeedRunOutcome } from '../run-compare.js';
import { TASKS } from './registry.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** One seed of a task's LSTM at `budget`, through the training phase of the default suite. */
async function run(id: TaskId, budget: Budget): Promise<SeedRunOutcome> {
  const definition = TASKS[id];
  const task = await definition.prepare(budget);
  try {
    return await trainSeed({
      definition,
      task,
      unit: { task: id, model: 'lstm', sizing: 'equal-hidden' },
      hiddenSize: budget.hiddenSize,
      budget,
      seed: 1,
      probeGradientFlow: false,
      recordGates: false,
      onSteps: () => {},
    });
  } finally {
    task.dispose();
  }
}

describe("a budget's best validation checkpoint (early stopping's choice)", () => {
  // A constant rate, so a run stopped at step k has exactly the weights the longer run had at step k.
  const budget: Budget = { ...TASKS['timeseries-co2'].budgets.quick, steps: 40, curvePoints: 8, learningRate: 0.05, bestCheckpoint: 'validation' };

  it('scores the test split with the weights of the best validation evaluation: the number a run stopped there gets', async () => {
    const before = tf.memory().numTensors;
    const kept = await run('timeseries-co2', budget);
    expect(tf.memory().numTensors).toBe(before);
    const { curve, bestStep } = kept.result;
    // The curve still covers the whole budget; the best step is the lowest validation MASE on it.
    expect(curve.evalStep).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    const lowest = curve.evalMetric.indexOf(Math.min(...curve.evalMetric));
    expect(bestStep).toBe(curve.evalStep[lowest]);
    const { bestCheckpoint: _, ...plain } = budget;
    const stopped = await run('timeseries-co2', { ...plain, steps: bestStep ?? 0, curvePoints: 0 });
    expect(stopped.result.bestStep).toBeUndefined();
    expect(kept.result.metric).toBeCloseTo(stopped.result.metric, 5);
    if (bestStep !== 40) {
      const last = await run('timeseries-co2', { ...plain, curvePoints: 0 });
      expect(last.result.metric).not.toBeCloseTo(kept.result.metric, 5);
    }
  }, 60_000);

  it('is refused for a task whose learning curve scores the test split (choosing on test would leak it)', async () => {
    const adding = TASKS['memory-adding'].budgets.quick;
    await expect(run('memory-adding', { ...adding, bestCheckpoint: 'validation' })).rejects.toThrow(/bestCheckpoint: expected a task whose learning curve scores the validation split, got a curve on the test split/);
  });
});
