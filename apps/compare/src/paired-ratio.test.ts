import { Rng } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { pairedRatio } from './paired-ratio.js';
import { SPEED_RACE } from './speed-race.js';
import { mean } from './stats.js';
import { differenceVerdict, pairedVerdict } from './verdicts.js';

/**
 * Step times of two models on a loaded 2-core machine, as the speed race sees them: each round the machine's load
 * multiplies both models' times alike (log-normal, σ = 0.4: a round can be 2× slower than the next), and each
 * timing has its own noise (σ = 5%). `gap` is how much slower `b` is than `a` at equal load.
 */
function loadedRounds(rng: Rng, rounds: number, gap: number): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const load = Math.exp(rng.normal(0, 0.4));
    a.push(10 * load * Math.exp(rng.normal(0, 0.05)));
    b.push(10 * gap * load * Math.exp(rng.normal(0, 0.05)));
  }
  return { a, b };
}

describe('paired ratio test', () => {
  it('is the geometric mean of the per-round ratios with the t-interval of the mean log ratio', () => {
    // log ratios ln 0.5, ln 1, ln 2: mean 0, sd ln 2, so the interval is exp(±t(0.975, 2)·ln 2/√3).
    const r = pairedRatio([1, 2, 4], [2, 2, 2]);
    const half = (4.302653 * Math.LN2) / Math.sqrt(3);
    expect(r.n).toBe(3);
    expect(r.ratio).toBeCloseTo(1, 12);
    expect(r.ciLow).toBeCloseTo(Math.exp(-half), 5);
    expect(r.ciHigh).toBeCloseTo(Math.exp(half), 5);
    expect(r.pValue).toBeCloseTo(1, 12);
  });

  it('matches a hand-computed paired t-test: t = mean/(sd/√n), p from Student t with n − 1 df', () => {
    // log ratios −0.2, −0.3, −0.25, −0.35: mean −0.275, sd 0.06455, t = −8.521 with 3 df, p = 0.0033958
    // (scipy.stats.ttest_1samp([-0.2, -0.3, -0.25, -0.35], 0) gives t = -8.5206, p = 0.0033958).
    const b = [10, 20, 30, 40];
    const a = b.map((v, i) => v * Math.exp([-0.2, -0.3, -0.25, -0.35][i]!));
    const r = pairedRatio(a, b);
    expect(Math.log(r.ratio)).toBeCloseTo(-0.275, 12);
    expect(r.pValue).toBeCloseTo(0.0033958, 6);
    expect(r.ciHigh).toBeLessThan(1);
  });

  it(`finds a real 1.3× gap significant in the race's ${SPEED_RACE.rounds} rounds on a machine whose load varies more than the gap`, () => {
    const rng = new Rng(1);
    const { a, b } = loadedRounds(rng, SPEED_RACE.rounds, 1.3);
    const r = pairedRatio(a, b);
    expect(pairedVerdict(a, b, 'lower')).toBe('supported');
    expect(pairedVerdict(b, a, 'lower')).toBe('contradicted');
    expect(r.ciLow).toBeLessThan(1 / 1.3);
    expect(r.ciHigh).toBeGreaterThan(1 / 1.3);
    // The same timings compared as two unpaired samples (what per-seed means did) cannot tell the models apart.
    expect(differenceVerdict(a, b, 'lower')).toBe('not significant');
  });

  it('finds a real 1.3× gap significant in at least 99 of 100 simulated races', () => {
    const rng = new Rng(2);
    let found = 0;
    for (let k = 0; k < 100; k++) {
      const { a, b } = loadedRounds(rng, SPEED_RACE.rounds, 1.3);
      if (pairedVerdict(a, b, 'lower') === 'supported') found++;
    }
    expect(found).toBeGreaterThanOrEqual(99);
  });

  it('calls no difference significant in about 5% of simulated races (at most 10 of 200) when there is none', () => {
    const rng = new Rng(3);
    let significant = 0;
    const ratios: number[] = [];
    for (let k = 0; k < 200; k++) {
      const { a, b } = loadedRounds(rng, SPEED_RACE.rounds, 1);
      if (pairedVerdict(a, b, 'lower') !== 'not significant') significant++;
      ratios.push(pairedRatio(a, b).ratio);
    }
    expect(significant).toBeLessThanOrEqual(10);
    expect(mean(ratios)).toBeCloseTo(1, 1);
  });

  it('needs two rounds for an interval and rejects series of different lengths or non-positive times', () => {
    expect(pairedVerdict([1], [2], 'lower')).toBe('not significant');
    expect(Number.isNaN(pairedRatio([1], [2]).ciLow)).toBe(true);
    expect(() => pairedRatio([1, 2], [1])).toThrow(/one length.*2 and 1/);
    expect(() => pairedRatio([1, 0], [1, 1])).toThrow(/round 1.*positive finite/);
  });
});
