import { describe, expect, it } from 'vitest';
import { generateAddingProblem } from './adding-problem.js';

describe('adding problem', () => {
  it('marks exactly one step in each half and targets the sum of the marked values', () => {
    const { x, y, n, seqLen } = generateAddingProblem({ n: 200, seqLen: 50, seed: 3 });
    for (let i = 0; i < n; i++) {
      const marked: number[] = [];
      for (let t = 0; t < seqLen; t++) if (x[(i * seqLen + t) * 2 + 1] === 1) marked.push(t);
      expect(marked.length).toBe(2);
      expect(marked[0]!).toBeLessThan(25);
      expect(marked[1]!).toBeGreaterThanOrEqual(25);
      const sum = x[(i * seqLen + marked[0]!) * 2]! + x[(i * seqLen + marked[1]!) * 2]!;
      expect(y[i]).toBeCloseTo(sum, 6);
    }
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const a = generateAddingProblem({ n: 8, seqLen: 20, seed: 7 });
    const b = generateAddingProblem({ n: 8, seqLen: 20, seed: 7 });
    const c = generateAddingProblem({ n: 8, seqLen: 20, seed: 8 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });

  it('predicting the mean scores an MSE of about 1/6', () => {
    const { y } = generateAddingProblem({ n: 20_000, seqLen: 10, seed: 1 });
    let mse = 0;
    for (const v of y) mse += (v - 1) ** 2;
    expect(mse / y.length).toBeCloseTo(1 / 6, 2);
  });
});
