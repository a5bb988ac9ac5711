import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/reference.json' with { type: 'json' };
import { LeakageError } from './errors.js';
import type { TimeSeries } from './series.js';
import { syntheticSeries } from './test-utils/synthetic.js';
import { auditTransform, fitTransform } from './transform.js';

const fromValues = (values: readonly number[]): TimeSeries => ({
  ...syntheticSeries(values.length),
  values: Float64Array.from(values),
});

describe('fitTransform', () => {
  const small = reference.small;
  const series = fromValues(small.series);
  const train = { start: 0, end: small.insample.length };

  it('standard scaling uses the training rows mean and population std (numpy within 1e-9)', () => {
    const t = fitTransform(series, train, { scale: 'standard' });
    expect(t.center[0]).toBeCloseTo(small.standard.mean, 9);
    expect(t.scaleBy[0]).toBeCloseTo(small.standard.std, 9);
  });

  it('min-max scaling maps the training range onto [0, 1] (numpy within 1e-9)', () => {
    const t = fitTransform(series, train, { scale: 'minmax' });
    expect(t.center[0]).toBeCloseTo(small.minmax.min, 9);
    expect(t.scaleBy[0]).toBeCloseTo(small.minmax.max - small.minmax.min, 9);
    const scaled = t.transform(series).subarray(0, train.end);
    expect(Math.min(...scaled)).toBeCloseTo(0, 6);
    expect(Math.max(...scaled)).toBeCloseTo(1, 6);
  });

  it('inverseTransform returns original units (log + standard), within float32 rounding', () => {
    const s = syntheticSeries(50);
    const t = fitTransform(s, { start: 0, end: 30 }, { log: true });
    const back = t.inverseTransform(t.transform(s), 'c0');
    for (let i = 0; i < s.length; i++) expect(back[i]!).toBeCloseTo(s.values[i]!, 3);
  });

  it('inverseForecast undoes log + seasonal differencing from levels at or before the anchor', () => {
    const s = syntheticSeries(60, 2);
    const t = fitTransform(s, { start: 0, end: 40 }, { log: ['c1'], difference: 7, scale: 'minmax' });
    const scaled = t.transform(s);
    const anchors = [20, 33, 45];
    const H = 10;
    const flat = new Float32Array(anchors.length * H * 2);
    anchors.forEach((a, b) => {
      for (let k = 0; k < H; k++) for (let j = 0; j < 2; j++) flat[(b * H + k) * 2 + j] = scaled[(a + k + 1) * 2 + j]!;
    });
    const back = t.inverseForecast(flat, anchors, s, { targetColumns: ['c0', 'c1'], horizon: H });
    anchors.forEach((a, b) => {
      for (let k = 0; k < H; k++) for (let j = 0; j < 2; j++) expect(back[(b * H + k) * 2 + j]!).toBeCloseTo(s.values[(a + k + 1) * 2 + j]!, 2);
    });
    expect(() => t.inverseTransform(flat, 'c0')).toThrow(/inverseForecast/);
  });

  it('refuses the log of a non-positive value, naming the row and column', () => {
    const s = fromValues([3, 2, 0, 4]);
    expect(() => fitTransform(s, { start: 0, end: 3 }, { log: true })).toThrow(expect.objectContaining({ code: 'GATED_TS_NON_POSITIVE', details: expect.objectContaining({ row: 2, column: 'c0' }) }));
  });

  it('auditTransform rejects a transform fit beyond the training range', () => {
    const s = syntheticSeries(50);
    expect(() => auditTransform(fitTransform(s, { start: 0, end: 30 }), { start: 0, end: 30 })).not.toThrow();
    expect(() => auditTransform(fitTransform(s, { start: 0, end: 50 }), { start: 0, end: 30 })).toThrow(LeakageError);
  });
});
