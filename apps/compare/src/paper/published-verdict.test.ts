import { describe, expect, it } from 'vitest';
import { publishedVerdict } from './published-verdict.js';

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
    expect(v.gap).toBeCloseTo(0.15 - 5.3e-5, 10);
    expect(v.reason).toMatch(/misses 5\.30e-5 by 0\.150/);
  });

  it('mirrors for higher-is-better metrics', () => {
    expect(publishedVerdict({ paper: 0.9, mean: 0.95, ciLow: 0.92, ciHigh: 0.98, higherIsBetter: true }).verdict).toBe('reproduced');
    const v = publishedVerdict({ paper: 0.9, mean: 0.8, ciLow: 0.78, ciHigh: 0.82, higherIsBetter: true });
    expect(v.verdict).toBe('not reproduced');
    expect(v.gap).toBeCloseTo(0.08, 10);
  });

  it('with one seed (unbounded interval) judges the mean alone', () => {
    expect(publishedVerdict({ paper: 8.67, mean: 8.6, ciLow: null, ciHigh: null, higherIsBetter: false }).verdict).toBe('reproduced');
    const v = publishedVerdict({ paper: 8.67, mean: 9.0, ciLow: -Infinity, ciHigh: Infinity, higherIsBetter: false });
    expect(v.verdict).toBe('not reproduced');
    expect(v.gap).toBeCloseTo(0.33, 10);
    expect(v.reason).toMatch(/single-seed mean/);
  });
});
