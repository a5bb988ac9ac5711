import { describe, expect, it } from 'vitest';
import { COPY_MEMORY_MARKER, copyMemoryBaseline, generateCopyMemory } from './copy-memory.js';

describe('copy-memory generator (Bai et al. 2018)', () => {
  it('lays out 10 digits in 1..8, T − 1 blanks, 11 markers; the target repeats the digits in the last 10 steps', () => {
    const delay = 30;
    const d = generateCopyMemory({ n: 50, delay, seed: 4 });
    expect(d.seqLen).toBe(delay + 20);
    for (let i = 0; i < d.n; i++) {
      const x = Array.from(d.x.subarray(i * d.seqLen, (i + 1) * d.seqLen));
      const y = Array.from(d.y.subarray(i * d.seqLen, (i + 1) * d.seqLen));
      const digits = x.slice(0, 10);
      expect(digits.every((v) => v >= 1 && v <= 8)).toBe(true);
      expect(x.slice(10, 10 + delay - 1).every((v) => v === 0)).toBe(true);
      expect(x.slice(10 + delay - 1)).toEqual(Array(11).fill(COPY_MEMORY_MARKER));
      expect(y.slice(0, delay + 10).every((v) => v === 0)).toBe(true);
      expect(y.slice(delay + 10)).toEqual(digits);
    }
    // Every digit 1..8 shows up with about equal frequency (500 draws; each expected 62.5).
    const counts = Array(10).fill(0);
    for (let i = 0; i < d.n; i++) for (let j = 0; j < 10; j++) counts[d.x[i * d.seqLen + j]!]++;
    expect(counts[0]).toBe(0);
    expect(counts[9]).toBe(0);
    for (const c of counts.slice(1, 9)) expect(c).toBeGreaterThan(30);
  });

  it('the memoryless baseline is 10·ln 8 / (T + 20): 0.0204 at T = 1000, the LSTM number of Table 1', () => {
    expect(copyMemoryBaseline(1000)).toBeCloseTo(0.020386, 5);
  });

  it('is deterministic per seed', () => {
    expect(generateCopyMemory({ n: 3, delay: 5, seed: 1 }).x).toEqual(generateCopyMemory({ n: 3, delay: 5, seed: 1 }).x);
    expect(generateCopyMemory({ n: 3, delay: 5, seed: 1 }).x).not.toEqual(generateCopyMemory({ n: 3, delay: 5, seed: 2 }).x);
  });
});
