import { describe, expect, it } from 'vitest';
import { mean, std, studentTCdf, studentTQuantile, summarize, welchPValue } from './stats.js';

describe('stats', () => {
  it('mean and sample standard deviation use n − 1', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(std([7])).toBe(0);
    expect(Number.isNaN(mean([]))).toBe(true);
  });

  it('Student-t quantiles match published tables to 1e-5', () => {
    // scipy.stats.t.ppf(0.975, df) for df = 1, 2, 4, 10, 30, and ppf(0.95, 5).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302653, 5);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042272, 5);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015048, 5);
    expect(studentTQuantile(0.025, 2)).toBeCloseTo(-4.302653, 5);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
  });

  it('a 95% interval of three seeds is mean ± t(0.975, 2)·s/√3', () => {
    const s = summarize([1, 2, 3]);
    const half = (4.302653 * 1) / Math.sqrt(3);
    expect(s.mean).toBe(2);
    expect(s.std).toBe(1);
    expect(s.ciLow).toBeCloseTo(2 - half, 5);
    expect(s.ciHigh).toBeCloseTo(2 + half, 5);
  });

  it('one seed gives an unbounded interval', () => {
    const s = summarize([0.5]);
    expect(s.ciLow).toBe(-Infinity);
    expect(s.ciHigh).toBe(Infinity);
  });

  it("Welch's test separates clearly different samples and not overlapping noise", () => {
    // t = −2.1532, df = 5.8775; p from Simpson integration of the t density (independent of this code) = 0.075722.
    expect(welchPValue([1, 2, 3, 4], [3, 4, 5, 6.5])).toBeCloseTo(0.075722, 5);
    expect(welchPValue([1, 1], [1, 1])).toBe(1);
    expect(welchPValue([1, 1], [2, 2])).toBe(0);
    expect(Number.isNaN(welchPValue([1], [2, 3]))).toBe(true);
  });
});
