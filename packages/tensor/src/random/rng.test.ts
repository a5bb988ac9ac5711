import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../check/errors.js';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('implements xoshiro128** exactly (reference outputs for state [1, 2, 3, 4])', () => {
    const rng = Rng.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => rng.nextUint32());
    // Outputs of Blackman & Vigna's reference C code (xoshiro128starstar.c) for this state.
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives the same numbers for the same seed and different numbers for another seed', () => {
    const a = new Rng(42).uniformArray(100);
    const b = new Rng(42).uniformArray(100);
    const c = new Rng(43).uniformArray(100);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('seeds like the published SplitMix32/fmix32 + xoshiro128** reference code, for small and large seeds', () => {
    // Made by tools/fixtures/tensor/rng-reference.c from MurmurHash3's fmix32 and xoshiro128starstar.c verbatim.
    const reference = JSON.parse(readFileSync(new URL('../__fixtures__/rng-reference.json', import.meta.url), 'utf8')) as {
      cases: { seed: number; state: number[]; outputs: number[] }[];
    };
    expect(reference.cases.length).toBeGreaterThanOrEqual(7);
    for (const { seed, state, outputs } of reference.cases) {
      const rng = new Rng(seed);
      expect(rng.state, `state for seed ${seed}`).toEqual(state);
      expect(Array.from({ length: outputs.length }, () => rng.nextUint32()), `outputs for seed ${seed}`).toEqual(outputs);
    }
  });

  it('resumes exactly from a saved state', () => {
    const rng = new Rng(5);
    rng.uniformArray(17);
    const saved = rng.state;
    const next = rng.normalArray(10);
    expect(Rng.fromState(saved).normalArray(10)).toEqual(next);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with the right moments', () => {
    const rng = new Rng(1);
    const u = rng.uniformArray(50_000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b, 0) / u.length).toBeCloseTo(0.5, 2);
    const z = rng.normalArray(50_000, 2, 3);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(3, 1);
  });

  it('shuffles into a permutation and forks independent, reproducible streams', () => {
    const p = new Rng(3).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const parent = new Rng(9);
    const before = parent.state;
    const f1 = parent.fork('dropout').uniform();
    expect(parent.state).toEqual(before);
    expect(new Rng(9).fork('dropout').uniform()).toBe(f1);
    expect(new Rng(9).fork('init').uniform()).not.toBe(f1);
  });

  it('rejects a seed that is not a non-negative integer', () => {
    expect(() => new Rng(1.5)).toThrow(ArgumentError);
    expect(() => new Rng(-1)).toThrow(/seed: expected an integer/);
  });
});
