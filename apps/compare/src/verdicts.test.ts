import { describe, expect, it } from 'vitest';
import { syntheticEntry } from './test-utils/synthetic-results.js';
import { computeVerdicts, differenceVerdict } from './verdicts.js';

describe('verdicts', () => {
  it('disjoint intervals in the claimed direction support the claim', () => {
    expect(differenceVerdict([8, 8.1, 7.9], [10, 10.2, 9.8], 'lower')).toBe('supported');
    expect(differenceVerdict([0.95, 0.96, 0.94], [0.8, 0.81, 0.79], 'higher')).toBe('supported');
  });

  it('disjoint intervals the other way contradict it', () => {
    expect(differenceVerdict([10, 10.2, 9.8], [8, 8.1, 7.9], 'lower')).toBe('contradicted');
  });

  it('overlapping intervals are not significant even when the means differ', () => {
    expect(differenceVerdict([8, 12, 10], [9, 13, 11], 'lower')).toBe('not significant');
  });

  it('a single seed cannot support a claim', () => {
    expect(differenceVerdict([1], [100], 'lower')).toBe('not significant');
  });

  it('exact quantities are compared directly', () => {
    expect(differenceVerdict([3], [4], 'lower', true)).toBe('supported');
    expect(differenceVerdict([5], [4], 'lower', true)).toBe('contradicted');
  });

  it("checks the seed table's claims per task from per-seed values", () => {
    const lstm = syntheticEntry({ task: 'memory-adding', model: 'lstm', sizing: 'equal-hidden' }, { stepMs: [10, 10.2, 9.9], metric: [0.01, 0.012, 0.011] });
    const gru = syntheticEntry({ task: 'memory-adding', model: 'gru', sizing: 'equal-hidden' }, { stepMs: [8, 8.1, 7.9], metric: [0.02, 0.1, 0.05] });
    const rnn = syntheticEntry({ task: 'memory-adding', model: 'rnn', sizing: 'equal-hidden' }, { stepMs: [3, 3, 3], metric: [0.16, 0.17, 0.165] });
    const verdicts = computeVerdicts([lstm, gru, rnn]);
    const by = (claim: string) => verdicts.filter((v) => v.claim === claim);
    expect(by('gru-simpler')[0]!.verdict).toBe('supported');
    expect(by('gru-trains-faster')[0]!.verdict).toBe('supported');
    expect(by('gru-less-memory')[0]!.verdict).toBe('not significant');
    expect(by('lstm-better-long-dependencies')[0]!.verdict).toBe('not significant');
    expect(by('gated-beats-rnn-long-dependencies').map((v) => v.verdict)).toEqual(['supported', 'not significant']); // GRU's spread is too wide for 3 seeds
    expect(by('gru-trains-faster')[0]!.explanation).toMatch(/95% intervals are disjoint/);
  });
});
