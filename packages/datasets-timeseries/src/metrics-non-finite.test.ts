import { describe, expect, it } from 'vitest';
import { NonFiniteValueError } from './errors.js';
import { forecastMetrics, mae, mape, mase, rmse, seasonalNaiveScale, smape } from './metrics.js';

// The rule: every metric refuses NaN and ±Infinity in any input with NonFiniteValueError (README "Metrics").
const actual = [1, 2, 3, 4];
const insample = [1, 2, 3, 4, 5, 6, 7, 8];
const METRICS: Record<string, (actual: number[], forecast: number[], insample: number[]) => unknown> = {
  mae: (a, f) => mae(a, f),
  rmse: (a, f) => rmse(a, f),
  mape: (a, f) => mape(a, f),
  smape: (a, f) => smape(a, f),
  mase: (a, f, s) => mase(a, f, s, 2),
  forecastMetrics: (a, f) => forecastMetrics(a, f, 1, 2),
};

function caught(call: () => unknown): NonFiniteValueError {
  try {
    call();
  } catch (error) {
    if (error instanceof NonFiniteValueError) return error;
    throw error;
  }
  throw new Error('expected a NonFiniteValueError');
}

describe('metrics refuse non-finite values', () => {
  it.each(Object.keys(METRICS))('%s refuses an all-NaN forecast, a NaN actual and an infinite forecast', (name) => {
    const metric = METRICS[name]!;
    const allNaN = caught(() => metric(actual, [Number.NaN, Number.NaN, Number.NaN, Number.NaN], insample));
    expect(allNaN.code).toBe('GATED_TS_NON_FINITE');
    expect(allNaN.details).toMatchObject({ argument: 'forecast', index: 0, value: 'NaN' });
    expect(allNaN.message).toContain('forecast[0]: expected a finite number, got NaN');
    expect(caught(() => metric([1, Number.NaN, 3, 4], [1, 2, 3, 4], insample)).details).toMatchObject({ argument: 'actual', index: 1 });
    expect(caught(() => metric(actual, [1, 2, 3, Number.NEGATIVE_INFINITY], insample)).details.value).toBe('-Infinity');
  });

  it('sMAPE of an all-NaN forecast is not a perfect 0 any more', () => {
    expect(() => smape([0, 0], [Number.NaN, Number.NaN])).toThrow(NonFiniteValueError);
  });

  it('MASE and seasonalNaiveScale refuse a non-finite in-sample value', () => {
    expect(caught(() => mase(actual, actual, [1, 2, Number.NaN, 4], 2)).details).toMatchObject({ metric: 'mase', argument: 'insample', index: 2 });
    expect(caught(() => seasonalNaiveScale([1, Number.POSITIVE_INFINITY, 3], 1)).details.argument).toBe('insample');
  });

  it('finite input still scores as before', () => {
    expect(smape([1, 2], [1, 2])).toBe(0);
    expect(mae(Float64Array.from([1, 2]), Float32Array.from([2, 2]))).toBe(0.5);
  });
});
