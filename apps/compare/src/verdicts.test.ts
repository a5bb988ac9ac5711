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

  it('decides the speed claims on race timings paired by round when both entries ran in the same race', () => {
    // Per-seed means overlap (7.9–12 vs 8–13), but round by round the GRU is 0.77× the LSTM under a varying load.
    const load = [1, 1.6, 0.8, 1.3, 2, 1.1];
    const race = (id: string, factor: number) => ({
      race: id,
      trainStepCpuMs: load.map((l, i) => 10 * factor * l * (1 + (i % 2) / 50)),
      inferLatencyCpuMs: load.map((l) => 2 * factor * l),
      trainStepMs: load.map((l) => 30 * factor * l),
      inferLatencyMs: load.map((l) => 6 * factor * l),
    });
    const entry = (model: 'lstm' | 'gru', stepMs: number[], paired: ReturnType<typeof race>) => ({
      ...syntheticEntry({ task: 'text-lm', model, sizing: 'equal-hidden' }, { stepMs, metric: [2, 2.1, 2.2] }),
      pairedSpeed: paired,
    });
    const lstm = entry('lstm', [8, 13, 11], race('r1', 1));
    const gru = entry('gru', [7.9, 12, 10], race('r1', 0.77));
    const verdicts = computeVerdicts([lstm, gru]);
    const faster = verdicts.find((v) => v.claim === 'gru-trains-faster')!;
    expect(faster.verdict).toBe('supported');
    expect(faster.ratio!.rounds).toBe(6);
    expect(faster.ratio!.mean).toBeCloseTo(0.77, 2);
    expect(faster.explanation).toMatch(/CPU time, 6 interleaved rounds: gru\/lstm = 0\.77\d \[.*\] \(paired t-test on log ratios, p = .*\) — 95% interval below 1; wall time 0\.770/);
    expect(verdicts.find((v) => v.claim === 'gru-infers-faster')!.verdict).toBe('supported');
    // Timings of different races (other processes or shards) do not pair: the per-seed intervals decide, and overlap.
    const apart = computeVerdicts([lstm, { ...gru, pairedSpeed: race('r2', 0.77) }]).find((v) => v.claim === 'gru-trains-faster')!;
    expect(apart.verdict).toBe('not significant');
    expect(apart.ratio).toBeUndefined();
    expect(apart.explanation).toMatch(/95% intervals overlap/);
  });
});
