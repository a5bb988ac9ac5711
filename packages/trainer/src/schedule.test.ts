import { describe, expect, it } from 'vitest';
import { constantSchedule, cosineSchedule, exponentialSchedule, stepSchedule } from './schedule.js';

describe('learning-rate schedules', () => {
  it('constant keeps the base rate', () => {
    expect(constantSchedule().at(1000, 0.3)).toBe(0.3);
  });

  it('step multiplies by gamma every stepSize steps', () => {
    const s = stepSchedule({ stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map((k) => s.at(k, 1))).toEqual([1, 1, 0.5, 0.25]);
  });

  it('exponential decays smoothly by gamma per decaySteps', () => {
    const s = exponentialSchedule({ gamma: 0.5, decaySteps: 2 });
    expect(s.at(1, 1)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(s.at(4, 1)).toBeCloseTo(0.25, 12);
  });

  it('cosine warms up linearly, reaches the base rate, then anneals to the minimum', () => {
    const s = cosineSchedule({ totalSteps: 110, warmupSteps: 10, minLearningRate: 0.1 });
    expect(s.at(0, 1)).toBeCloseTo(0.1, 12);
    expect(s.at(9, 1)).toBeCloseTo(1, 12);
    expect(s.at(10, 1)).toBeCloseTo(1, 12);
    expect(s.at(60, 1)).toBeCloseTo(0.55, 12);
    expect(s.at(110, 1)).toBeCloseTo(0.1, 12);
    expect(s.at(500, 1)).toBeCloseTo(0.1, 12);
  });

  it('rejects a warm-up as long as the run', () => {
    expect(() => cosineSchedule({ totalSteps: 5, warmupSteps: 5 })).toThrow(/warmupSteps: expected fewer than totalSteps/);
  });
});
