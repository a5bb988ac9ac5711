import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/reference.json' with { type: 'json' };
import { BASELINE_NAMES, baselineForecast } from './baselines.js';
import { forecastMetrics, mae, mape, mase, rmse, seasonalNaiveScale, smape } from './metrics.js';

// reference.json comes from tools/fixtures/datasets-timeseries/make-fixtures.py (numpy, M4 and FPP definitions).
const small = reference.small;

describe('metrics match the numpy reference (M4 definitions) within 1e-12 relative', () => {
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));

  it('MAE, RMSE, MAPE, sMAPE', () => {
    close(mae(small.actual, small.forecast), small.metrics.mae);
    close(rmse(small.actual, small.forecast), small.metrics.rmse);
    close(mape(small.actual, small.forecast), small.metrics.mape);
    close(smape(small.actual, small.forecast), small.metrics.smape);
  });

  it('MASE scales by the in-sample seasonal naive error with period m', () => {
    close(seasonalNaiveScale(small.insample, small.period), small.seasonalScale);
    close(mase(small.actual, small.forecast, small.insample, small.period), small.metrics.mase);
    const all = forecastMetrics(small.actual, small.forecast, small.seasonalScale, small.period);
    close(all.mase, small.metrics.mase);
    expect(all.period).toBe(4);
  });

  it('sMAPE is bounded by 200 and zero-safe; MASE of the seasonal naive forecast in-sample is 1', () => {
    expect(smape([1, 2], [-1, -2])).toBe(200);
    expect(smape([0, 1], [0, 1])).toBe(0);
    const y = small.insample;
    const m = small.period;
    expect(mase(y.slice(m), y.slice(0, -m), y, m)).toBeCloseTo(1, 12);
  });

  it('rejects mismatched lengths', () => {
    expect(() => mae([1, 2], [1])).toThrow(/expected 2 values/);
  });
});

describe('baselines match the numpy reference (FPP §5.2)', () => {
  for (const name of BASELINE_NAMES) {
    it(`${name}`, () => {
      const got = baselineForecast(name, small.series, small.baselineAnchors, {
        horizon: small.baselineHorizon,
        period: small.period,
        movingAverageWindow: small.movingAverageWindow,
      });
      const want = small.baselines[name];
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(got[i]!).toBeCloseTo(want[i]!, 10);
    });
  }

  it('reads only rows up to the anchor', () => {
    const changed = small.series.map((v, i) => (i > 29 ? 1e9 : v));
    for (const name of BASELINE_NAMES) {
      const options = { horizon: 6, period: small.period };
      expect(Array.from(baselineForecast(name, changed, [29], options))).toEqual(Array.from(baselineForecast(name, small.series, [29], options)));
    }
  });
});
