import { Rng } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { LeakageError } from './errors.js';
import { chronologicalSplit } from './split.js';
import { syntheticSeries } from './test-utils/synthetic.js';
import { auditWindows, gatherWindows, windowAnchors } from './windows.js';

describe('chronologicalSplit', () => {
  it('cuts by fractions or at timestamps into adjacent, non-empty ranges', () => {
    const s = syntheticSeries(100);
    expect(chronologicalSplit(s)).toEqual({ train: { start: 0, end: 70 }, validation: { start: 70, end: 85 }, test: { start: 85, end: 100 } });
    expect(chronologicalSplit(s, { validationStart: '2000-02-01', testStart: '2000-03-01' })).toEqual({
      train: { start: 0, end: 31 },
      validation: { start: 31, end: 60 },
      test: { start: 60, end: 100 },
    });
    expect(() => chronologicalSplit(s, { validation: 0.5, test: 0.6 })).toThrow(/fractions/);
  });
});

describe('windowAnchors', () => {
  const s = syntheticSeries(100);
  const splits = chronologicalSplit(s);
  const spec = { inputLength: 5, horizon: 3, stride: 2, samplingRate: 2 };

  it('keeps training windows inside the training range and validation/test targets inside theirs', () => {
    for (const split of ['train', 'validation', 'test'] as const) {
      const anchors = windowAnchors(s, splits, split, spec);
      expect(anchors.length).toBeGreaterThan(0);
      const range = splits[split];
      for (const a of anchors) {
        const firstInput = a - 4 * 2;
        const firstTarget = a + 2;
        const lastTarget = a + 3 * 2;
        expect(firstInput).toBeGreaterThanOrEqual(split === 'train' ? range.start : 0);
        expect(firstTarget).toBeGreaterThanOrEqual(range.start);
        expect(lastTarget).toBeLessThan(range.end);
      }
      expect(() => auditWindows(anchors, split, splits, spec)).not.toThrow();
    }
  });

  it('starts each evaluation split with the window forecasting its first row, then steps by stride', () => {
    const test = windowAnchors(s, splits, 'test', { inputLength: 10, horizon: 4 });
    expect(test[0]! + 1).toBe(splits.test.start);
    expect(Array.from(test)).toEqual(Array.from({ length: 12 }, (_, i) => 84 + i));
    const strided = windowAnchors(s, splits, 'train', { inputLength: 10, horizon: 4, stride: 3 });
    expect(Array.from(strided.subarray(0, 3))).toEqual([9, 12, 15]);
  });

  it('skips windows that would span a break and rows before firstRow', () => {
    const broken = { ...s, breaks: [30] };
    const anchors = windowAnchors(broken, splits, 'train', { inputLength: 4, horizon: 2 });
    for (const a of anchors) expect(a - 3 > 29 || a + 2 < 30).toBe(true);
    expect(anchors).not.toContain(28);
    expect(windowAnchors(s, splits, 'train', { inputLength: 4, horizon: 2 }, 7)[0]).toBe(10);
  });

  it('equals a brute-force enumeration for 200 random geometries, splits and breaks (seeded)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 40 + rng.int(80);
      const breaks = rng.uniform() < 0.5 ? [5 + rng.int(n - 10)] : [];
      const series = { ...syntheticSeries(n), breaks };
      const splits = chronologicalSplit(series, { validation: 0.1 + 0.2 * rng.uniform(), test: 0.1 + 0.2 * rng.uniform() });
      const g = { inputLength: 1 + rng.int(8), horizon: 1 + rng.int(5), stride: 1 + rng.int(3), samplingRate: 1 + rng.int(3) };
      const firstRow = rng.int(3);
      for (const split of ['train', 'validation', 'test'] as const) {
        const got = Array.from(windowAnchors(series, splits, split, g, firstRow));
        const range = splits[split];
        const want: number[] = [];
        let start: number | undefined;
        for (let a = 0; a < n; a++) {
          const first = a - (g.inputLength - 1) * g.samplingRate;
          const last = a + g.horizon * g.samplingRate;
          const inside = first >= Math.max(firstRow, split === 'train' ? range.start : 0) && a + g.samplingRate >= range.start && last < range.end;
          if (!inside) continue;
          start ??= a;
          const spans = breaks.some((b) => first < b && b <= last);
          if ((a - start) % g.stride === 0 && !spans) want.push(a);
        }
        expect(got).toEqual(want);
        expect(() => auditWindows(got, split, splits, g)).not.toThrow();
      }
    }
  });

  it('auditWindows names a window that leaks across a boundary', () => {
    const spec1 = { inputLength: 5, horizon: 3 };
    // A training window whose targets reach into validation.
    expect(() => auditWindows([splits.train.end - 2], 'train', splits, spec1)).toThrow(LeakageError);
    // A test window whose first target is still in validation.
    expect(() => auditWindows([splits.test.start - 2], 'test', splits, spec1)).toThrow(/targets at rows \[84, 86\]/);
    // A validation window whose targets run into test.
    expect(() => auditWindows([splits.validation.end - 2], 'validation', splits, spec1)).toThrow(expect.objectContaining({ details: expect.objectContaining({ what: 'window-target', split: 'validation' }) }));
  });
});

describe('gatherWindows', () => {
  it('lays out x as [windows, time, features] and y step-major, honouring the sampling rate', () => {
    const data = Float32Array.from({ length: 40 }, (_, i) => i); // 20 rows × 2 columns: row r = [2r, 2r+1]
    const { x, y } = gatherWindows(data, 2, [6, 7], { inputLength: 3, samplingRate: 2, steps: 2 }, [1, 0], [0]);
    // anchor 6: rows 2, 4, 6 → [col1, col0]; targets rows 8, 10 col 0.
    expect(Array.from(x.subarray(0, 6))).toEqual([5, 4, 9, 8, 13, 12]);
    expect(Array.from(y)).toEqual([16, 20, 18, 22]);
  });
});
