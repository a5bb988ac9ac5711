import { describe, expect, it } from 'vitest';
import { scheduleOptions } from './budget-schedule.js';
import { checkResultsShape } from './results-schema.js';
import { syntheticResults } from './test-utils/synthetic-results.js';
import { TASKS } from './tasks/registry.js';

describe('scheduleOptions', () => {
  it('gives no schedule for a budget without one (the constant learning rate)', () => {
    expect(scheduleOptions({ steps: 100 })).toEqual({});
  });

  it('warms up linearly, then anneals by cosine to 0 at the budget’s last step', () => {
    const { schedule } = scheduleOptions({ steps: 100, schedule: { kind: 'cosine', warmupSteps: 10 } });
    if (schedule === undefined) throw new Error('expected a schedule');
    expect(schedule.describe).toEqual({ kind: 'cosine', totalSteps: 100, warmupSteps: 10, minLearningRate: 0 });
    expect(schedule.at(0, 0.02)).toBeCloseTo(0.002, 12);
    expect(schedule.at(9, 0.02)).toBeCloseTo(0.02, 12);
    // Halfway through the annealing (step 55 of 10..100) the rate is half the base rate.
    expect(schedule.at(55, 0.02)).toBeCloseTo(0.01, 12);
    expect(schedule.at(99, 0.02)).toBeCloseTo(0.02 * (1 + Math.cos((Math.PI * 89) / 90)) / 2, 12);
  });

  it('anneals over the unit’s own steps, so an equal-compute unit with more steps is not cut off at the base budget’s', () => {
    const base = scheduleOptions({ steps: 300, schedule: { kind: 'cosine', warmupSteps: 20 } }).schedule;
    const longer = scheduleOptions({ steps: 400, schedule: { kind: 'cosine', warmupSteps: 20 } }).schedule;
    expect(base?.describe['totalSteps']).toBe(300);
    expect(longer?.describe['totalSteps']).toBe(400);
    expect(longer?.at(299, 0.01)).toBeGreaterThan(0.001);
  });

  it('shortens a warm-up that would not fit the run (a --steps override) to half of the steps', () => {
    expect(scheduleOptions({ steps: 6, schedule: { kind: 'cosine', warmupSteps: 50 } }).schedule?.describe['warmupSteps']).toBe(3);
  });

  it('every task budget with a schedule warms up for less than half of its steps', () => {
    for (const task of Object.values(TASKS)) {
      for (const budget of [task.budgets.quick, task.budgets.default]) {
        if (budget.schedule !== undefined) expect(budget.schedule.warmupSteps, task.id).toBeLessThan(budget.steps / 2);
      }
    }
  });
});

describe('results.json budgets', () => {
  const withBudget = (budget: unknown): unknown => {
    const results = syntheticResults(['text-lm']);
    return JSON.parse(JSON.stringify({ ...results, config: { ...results.config, budgets: { 'text-lm': budget } } }));
  };

  it('records a budget’s schedule and reads budgets without one (runs written before schedules existed)', () => {
    const { schedule: _schedule, ...constant } = TASKS['text-lm'].budgets.default;
    expect(TASKS['text-lm'].budgets.default.schedule).toEqual({ kind: 'cosine', warmupSteps: 100 });
    expect(() => checkResultsShape('r.json', withBudget(TASKS['text-lm'].budgets.default))).not.toThrow();
    expect(() => checkResultsShape('r.json', withBudget(constant))).not.toThrow();
  });

  it('records a best-checkpoint budget (timeseries-co2) and refuses choosing the checkpoint on anything but validation', () => {
    const co2 = TASKS['timeseries-co2'].budgets.default;
    expect(co2.bestCheckpoint).toBe('validation');
    expect(() => checkResultsShape('r.json', withBudget(co2))).not.toThrow();
    expect(() => checkResultsShape('r.json', withBudget({ ...co2, bestCheckpoint: 'test' }))).toThrow(/bestCheckpoint/);
  });

  it('refuses a schedule of an unknown kind, naming the field', () => {
    const bad = { ...TASKS['text-lm'].budgets.default, schedule: { kind: 'linear', warmupSteps: 100 } };
    expect(() => checkResultsShape('r.json', withBudget(bad))).toThrow(/schedule/);
  });
});
