import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from './__fixtures__/reference.json' with { type: 'json' };
import { createForecastingTask } from './forecasting-task.js';
import { loadCo2Forecasting, loadRealSeries, REAL_SERIES } from './real-series.js';
import { formatTimestamp } from './timestamp.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('real series from npm packages', () => {
  it('CO2: monthly from 1958-03 to 2020-04, the 5 months the file skips interpolated', async () => {
    const s = await loadRealSeries('co2');
    expect(s.frequency.name).toBe('month');
    expect(s.length).toBe(746);
    expect(formatTimestamp(s.timestamps[0]!)).toBe('1958-03-01');
    expect(formatTimestamp(s.timestamps[745]!)).toBe('2020-04-01');
    expect(s.imputed.map((i) => formatTimestamp(s.timestamps[i]!))).toEqual(['1958-06-01', '1958-10-01', '1964-02-01', '1964-03-01', '1964-04-01']);
    // 1958-06 lies between 1958-05 (317.51) and 1958-07 (315.86).
    expect(s.values[3]).toBeCloseTo((317.51 + 315.86) / 2, 10);
    await expect(loadRealSeries('co2', { missing: 'error' })).rejects.toMatchObject({ code: 'GATED_TS_GAP', details: { row: 5 } }); // line 5: 1958-07 after 1958-05
  });

  it('Seattle weather: 1,461 consecutive days, several columns', async () => {
    const s = await loadRealSeries('seattle-weather', { columns: ['temp_max', 'temp_min', 'precipitation', 'wind'] });
    expect(s.length).toBe(1461);
    expect(s.frequency.name).toBe('day');
    expect(s.breaks).toEqual([]);
    expect(Array.from(s.values.subarray(0, 4))).toEqual([12.8, 5, 0, 4.7]);
    await expect(loadRealSeries('seattle-weather', { columns: ['weather'] })).rejects.toMatchObject({ code: 'GATED_TS_NOT_NUMERIC', details: { row: 2, column: 'weather' } });
  });

  it('US births: 7,305 consecutive days from year/month/day columns', async () => {
    const s = await loadRealSeries('us-births');
    expect(s.length).toBe(7305);
    expect(formatTimestamp(s.timestamps[0]!)).toBe('1969-01-01');
    expect(formatTimestamp(s.timestamps[7304]!)).toBe('1988-12-31');
    expect(s.values[0]).toBe(8486);
  });
});

describe('forecasting tasks on the daily series', () => {
  it('US births (m = 7): the weekly seasonal naive beats the last-value naive on the test windows', async () => {
    const task = createForecastingTask(await loadRealSeries('us-births'), { inputLength: 28, horizon: 7, period: REAL_SERIES['us-births'].period });
    expect(task.baselines.seasonalNaive.metrics.mase).toBeLessThan(task.baselines.naive.metrics.mase / 2);
    expect(task.baselines.seasonalNaive.metrics.period).toBe(7);
  });

  it('Seattle weather (m = 365): multivariate inputs, temp_max target, baselines one year back', async () => {
    const series = await loadRealSeries('seattle-weather', { columns: ['temp_max', 'temp_min', 'precipitation', 'wind'] });
    const task = createForecastingTask(series, { inputLength: 30, horizon: 7, period: 365, targetColumns: ['temp_max'], transform: { scale: 'minmax' } });
    expect(task.windows.test.inputShape.slice(1)).toEqual([30, 4]);
    expect(task.windows.test.targets.length).toBe(task.windows.test.anchors.length * 7);
    for (const b of Object.values(task.baselines)) expect(Number.isFinite(b.metrics.mase)).toBe(true);
  });
});

describe('loadCo2Forecasting (the app task timeseries-co2)', () => {
  const co2 = reference.co2;

  it('splits, scales and windows like the numpy reference; x [B,24,1], y [B,12] float32', async () => {
    const task = await loadCo2Forecasting({ inputLength: 24 });
    expect(task.splits.validation.start).toBe(co2.validationStart);
    expect(task.splits.test.start).toBe(co2.testStart);
    expect(task.windows.test.anchors.length).toBe(co2.windows);
    expect(task.transform.center[0]).toBeCloseTo(co2.trainMean, 9);
    expect(task.transform.scaleBy[0]).toBeCloseTo(co2.trainStd, 9);
    expect(task.maseScale['CO2']).toBeCloseTo(co2.seasonalScale, 10);
    const before = tf.memory().numTensors;
    for await (const { x, y } of task.train) {
      expect(x.shape.slice(1)).toEqual([24, 1]);
      expect(y.shape.slice(1)).toEqual([12]);
      expect(y.dtype).toBe('float32');
      tf.dispose([x, y]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("baselines' scores on the test windows match numpy within 1e-9 (MASE with m = 12)", async () => {
    const task = await loadCo2Forecasting({ inputLength: 24 });
    for (const [name, want] of Object.entries(co2.baselines)) {
      const got = task.baselines[name as keyof typeof task.baselines].metrics;
      for (const key of ['mae', 'rmse', 'mape', 'smape', 'mase'] as const) expect(got[key]).toBeCloseTo(want[key], 9);
      expect(got.period).toBe(12);
    }
  });

  it('a model that repeats the last 12 scaled inputs scores exactly as the seasonal naive baseline', async () => {
    const task = await loadCo2Forecasting({ inputLength: 24 });
    const lastYear = (inputs: Float32Array, [batch, time]: readonly [number, number, number]) => {
      const out = new Float32Array(batch * 12);
      for (let b = 0; b < batch; b++) out.set(inputs.subarray(b * time + time - 12, b * time + time), b * 12);
      return out;
    };
    const result = await task.forecast(lastYear);
    const want = task.baselines.seasonalNaive.metrics;
    expect(result.metrics.mase).toBeCloseTo(want.mase, 4);
    expect(result.metrics.rmse).toBeCloseTo(want.rmse, 4);
  });
});
