import { describe, expect, it } from 'vitest';
import { printedHalfUnit, publishedVerdict } from './published-verdict.js';

describe('published verdict', () => {
  it('is "reproduced" when the 95% interval contains the paper value', () => {
    const v = publishedVerdict({ paper: 8.54, mean: 8.6, ciLow: 8.5, ciHigh: 8.7, higherIsBetter: false });
    expect(v.verdict).toBe('reproduced');
    expect(v.gap).toBe(0);
    expect(v.difference).toBeCloseTo(0.06, 10);
    expect(v.reason).toMatch(/contains 8\.54/);
  });

  it('is "reproduced" when the whole interval beats the paper value (lower is better)', () => {
    const v = publishedVerdict({ paper: 0.164, mean: 0.01, ciLow: 0.005, ciHigh: 0.015, higherIsBetter: false });
    expect(v.verdict).toBe('reproduced');
    expect(v.reason).toMatch(/beats/);
  });

  it('is "not reproduced" with the gap to the nearer interval end when the interval is worse', () => {
    const v = publishedVerdict({ paper: 5.3e-5, mean: 0.16, ciLow: 0.15, ciHigh: 0.17, higherIsBetter: false });
    expect(v.verdict).toBe('not reproduced');
    // The gap is measured to the top of the printed value's range, 5.3e-5 + 5e-7.
    expect(v.gap).toBeCloseTo(0.15 - 5.35e-5, 10);
    expect(v.reason).toMatch(/misses 5\.30e-5 by 0\.150/);
  });

  it('mirrors for higher-is-better metrics', () => {
    expect(publishedVerdict({ paper: 0.9, mean: 0.95, ciLow: 0.92, ciHigh: 0.98, higherIsBetter: true }).verdict).toBe('reproduced');
    const v = publishedVerdict({ paper: 0.9, mean: 0.8, ciLow: 0.78, ciHigh: 0.82, higherIsBetter: true });
    expect(v.verdict).toBe('not reproduced');
    // To the bottom of 0.9's printed range, 0.85.
    expect(v.gap).toBeCloseTo(0.03, 10);
  });

  it('with one seed (unbounded interval) judges the mean alone', () => {
    expect(publishedVerdict({ paper: 8.67, mean: 8.6, ciLow: null, ciHigh: null, higherIsBetter: false }).verdict).toBe('reproduced');
    const v = publishedVerdict({ paper: 8.67, mean: 9.0, ciLow: -Infinity, ciHigh: Infinity, higherIsBetter: false });
    expect(v.verdict).toBe('not reproduced');
    expect(v.gap).toBeCloseTo(9.0 - 8.675, 10);
    expect(v.reason).toMatch(/single-seed mean/);
  });

  it('reads a published value as printed: ± half a unit in its last digit', () => {
    expect(printedHalfUnit(8.67)).toBeCloseTo(0.005, 12);
    expect(printedHalfUnit(0.0204)).toBeCloseTo(5e-5, 12);
    expect(printedHalfUnit(5.3e-5)).toBeCloseTo(5e-7, 15);
    expect(printedHalfUnit(0.164)).toBeCloseTo(5e-4, 12);
    expect(printedHalfUnit(600)).toBeCloseTo(0.5, 12);
    expect(printedHalfUnit(0)).toBe(0);
  });

  it('counts a miss smaller than the paper\'s printed precision as reproduced, and a larger one as not', () => {
    // 0.0204 as printed covers [0.02035, 0.02045]: an interval starting at 0.02041 meets it, one at 0.02046 misses it.
    const within = publishedVerdict({ paper: 0.0204, mean: 0.02042, ciLow: 0.02041, ciHigh: 0.02043, higherIsBetter: false });
    expect(within.verdict).toBe('reproduced');
    expect(within.reason).toMatch(/within its printed precision/);
    const beyond = publishedVerdict({ paper: 0.0204, mean: 0.02047, ciLow: 0.02046, ciHigh: 0.02048, higherIsBetter: false });
    expect(beyond.verdict).toBe('not reproduced');
    expect(beyond.gap).toBeCloseTo(0.00001, 10);
    // Higher is better, mirrored: 0.90 printed as 0.9 covers [0.85, 0.95].
    expect(publishedVerdict({ paper: 0.9, mean: 0.86, ciLow: 0.855, ciHigh: 0.865, higherIsBetter: true }).verdict).toBe('reproduced');
    expect(publishedVerdict({ paper: 0.9, mean: 0.84, ciLow: 0.83, ciHigh: 0.849, higherIsBetter: true }).verdict).toBe('not reproduced');
  });
});
