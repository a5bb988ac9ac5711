import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskId } from '../grid.js';
import { randomSample, sampleRng, stratifiedSample } from './eval-sample.js';
import { TASKS } from './registry.js';
import { recurrentTask } from './task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('evaluation samples', () => {
  // 900 of class 0 then 100 of class 1, the way an ordered test split looks.
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1));

  it('a stratified sample keeps the class proportions, is seeded and sorted', () => {
    const sample = stratifiedSample(labels, 128, sampleRng('a'));
    expect(sample).toHaveLength(128);
    expect(new Set(sample).size).toBe(128);
    expect(sample.filter((i) => labels[i] === 1)).toHaveLength(13); // 12.8 → 13 by largest remainder
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(stratifiedSample(labels, 128, sampleRng('a'))).toEqual(sample);
    expect(stratifiedSample(labels, 128, sampleRng('b'))).not.toEqual(sample);
  });

  it('a rare class still gets one example, and a size past the split takes all of it', () => {
    const rare = Int32Array.from({ length: 1000 }, (_, i) => (i === 999 ? 2 : i % 2));
    expect(stratifiedSample(rare, 10, sampleRng('r')).some((i) => rare[i] === 2)).toBe(true);
    expect(stratifiedSample(rare, 5000, sampleRng('r'))).toHaveLength(1000);
  });

  it('a random sample is seeded, without repeats and spread over the whole range', () => {
    const sample = randomSample(1000, 200, sampleRng('x'));
    expect(new Set(sample).size).toBe(200);
    expect(sample.at(-1)!).toBeGreaterThan(800);
    expect(randomSample(1000, 200, sampleRng('x'))).toEqual(sample);
  });
});

describe('every task evaluates a representative set and says which', () => {
  it('text-classify: the quick and curve evaluations hold spam in its test proportion (the first 128 messages hold none)', async () => {
    const definition = TASKS['text-classify'];
    const task = recurrentTask(await definition.prepare(definition.budgets.quick), definition.id);
    try {
      expect(task.evaluation.curve).toMatchObject({ split: 'test', examples: 128, sampling: 'stratified', seed: 0 });
      expect(task.evaluation.final).toMatchObject({ examples: definition.budgets.quick.maxEvalExamples, sampling: 'stratified' });
      // A model that always answers "spam": its accuracy is the spam share of the set scored, its F1 above 0.
      const alwaysSpam = (x: tf.Tensor) => tf.tidy(() => tf.tile(tf.tensor2d([[0, 1]]), [x.shape[0]!, 1]));
      for (const subset of [true, false]) {
        const score = await task.evaluate(alwaysSpam, { subset });
        expect(score.metric, `subset ${subset}`).toBeGreaterThan(0.1);
        expect(score.metric).toBeLessThan(0.5);
        expect(score.extras['f1']!).toBeGreaterThan(0.2);
      }
    } finally {
      task.dispose();
    }
  });

  it.each(['text-lm', 'timeseries-co2'] as TaskId[])('%s draws its learning curves from the validation split and scores the whole test split', async (id) => {
    const definition = TASKS[id];
    const task = await definition.prepare(definition.budgets.default);
    try {
      expect(task.evaluation.curve).toMatchObject({ split: 'validation', sampling: 'all' });
      expect(task.evaluation.final).toMatchObject({ split: 'test', sampling: 'all' });
    } finally {
      task.dispose();
    }
  });

  it.each(['memory-adding', 'timeseries-co2', 'text-lm', 'speech-digits'] as TaskId[])('%s states its evaluation sets', async (id) => {
    const definition = TASKS[id];
    const task = await definition.prepare(definition.budgets.quick);
    try {
      for (const set of [task.evaluation.final, task.evaluation.curve]) {
        expect(set.examples).toBeGreaterThan(0);
        expect(set.examples).toBeLessThanOrEqual(set.of);
        expect(set.sampling === 'all').toBe(set.examples === set.of);
      }
    } finally {
      task.dispose();
    }
  });
});
