import { describe, expect, it } from 'vitest';
import { generateBaiAddingProblem } from './adding-problem-bai.js';

describe('adding-problem generator (Bai et al. 2018)', () => {
  it('marks exactly two distinct positions anywhere in the sequence and targets the sum of their values', () => {
    const seqLen = 20;
    const d = generateBaiAddingProblem({ n: 2000, seqLen, seed: 3 });
    let bothInFirstHalf = 0;
    for (let i = 0; i < d.n; i++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < seqLen; t++) {
        const value = d.x[(i * seqLen + t) * 2]!;
        const mark = d.x[(i * seqLen + t) * 2 + 1]!;
        expect(value >= 0 && value < 1).toBe(true);
        expect(mark === 0 || mark === 1).toBe(true);
        if (mark === 1) {
          marked.push(t);
          sum += value;
        }
      }
      expect(marked.length).toBe(2);
      expect(d.y[i]).toBeCloseTo(sum, 6);
      if (marked[1]! < seqLen / 2) bothInFirstHalf++;
    }
    // Uniform pairs: P(both in the first half) = C(10,2)/C(20,2) = 45/190 ≈ 0.237 (2000 draws: ± 0.03 is > 3σ).
    expect(Math.abs(bothInFirstHalf / d.n - 45 / 190)).toBeLessThan(0.03);
    // Predicting the mean scores Var(U₁ + U₂) = 1/6.
    const mse = Array.from(d.y).reduce((s, v) => s + (v - 1) ** 2, 0) / d.n;
    expect(Math.abs(mse - 1 / 6)).toBeLessThan(0.015);
  });
});
