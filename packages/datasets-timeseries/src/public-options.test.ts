import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, type OptionsError } from '@gated/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';
import { syntheticSeries } from './test-utils/synthetic.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const dir = mkdtempSync(join(tmpdir(), 'gated-ts-options-'));
const csv = join(dir, 'a.csv');
writeFileSync(csv, 'date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n');
const series = syntheticSeries(60);
const splits = api.chronologicalSplit(series);
const spec = { inputLength: 4, horizon: 2 };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TAKES_OPTIONS: Record<string, () => unknown> = {
  parseSeries: () => api.parseSeries('date,y\n2020-01-01,1\n', UNKNOWN as never),
  readSeries: () => api.readSeries(csv, UNKNOWN as never),
  chronologicalSplit: () => api.chronologicalSplit(series, UNKNOWN as never),
  fitTransform: () => api.fitTransform(series, splits.train, UNKNOWN as never),
  SeriesTransform: () => new api.SeriesTransform(UNKNOWN as never),
  windowAnchors: () => api.windowAnchors(series, splits, 'train', { ...spec, ...UNKNOWN }),
  auditWindows: () => api.auditWindows(new Int32Array(0), 'train', splits, { ...spec, ...UNKNOWN }),
  windowDataset: () => api.windowDataset(new Float32Array(8), 1, new Int32Array([3]), { inputLength: 2, samplingRate: 1, steps: 1 }, [0], [0], UNKNOWN as never),
  forecastWindows: () => api.forecastWindows(new Float32Array(2), [1, 2, 1], { strategy: 'direct', predict: async () => new Float32Array(1), horizon: 1, targetFeatures: [0], ...UNKNOWN }),
  baselineForecast: () => api.baselineForecast('naive', [1, 2, 3], [2], { horizon: 1, period: 1, ...UNKNOWN }),
  createForecastingTask: () => api.createForecastingTask(series, { ...spec, period: 7, ...UNKNOWN }),
  loadRealSeries: () => api.loadRealSeries('co2', UNKNOWN as never),
  loadCo2Forecasting: () => api.loadCo2Forecasting(UNKNOWN as never),
  streamWindows: () => api.streamWindows(csv, { ...spec, ...UNKNOWN }),
  fitTransformStream: () => api.fitTransformStream(csv, { until: '2020-01-03', ...UNKNOWN }),
  streamSeriesRows: () => api.streamSeriesRows(csv, UNKNOWN as never).next(),
  'createForecastingTask split': () => api.createForecastingTask(series, { ...spec, period: 7, split: { validation: 0.2, ...UNKNOWN } as never }),
  'createForecastingTask transform': () => api.createForecastingTask(series, { ...spec, period: 7, transform: UNKNOWN as never }),
};

const NO_OPTIONS: Record<string, string> = {
  SeriesFormatError: 'error class',
  LeakageError: 'error class',
  NonFiniteValueError: 'error class',
  parseTimestamp: 'text and a format name',
  formatTimestamp: 'a number',
  frequencyOf: 'a frequency name',
  inferFrequency: 'timestamps',
  stepsBetween: 'positional arguments',
  addSteps: 'positional arguments',
  auditTransform: 'a transform and a range',
  gatherWindows: 'positional arguments and a geometry record',
  mae: 'arrays', rmse: 'arrays', mape: 'arrays', smape: 'arrays', mase: 'arrays and a period',
  seasonalNaiveScale: 'an array and a period',
  forecastMetrics: 'arrays, a scale and a period',
  realSeriesPath: 'a name',
};

describe('public entry points of @gated/datasets-timeseries', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it("readSeries(path, { missing: 'fill' }) is an error listing the policies, not NaN let through", async () => {
    const error = await caught(() => api.readSeries(csv, { missing: 'fill' as never }));
    expect((error as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
    expect((error as Error).message).toBe(
      `readSeries: option "missing" must be 'error' | 'ffill' | 'interpolate' | 'drop', got 'fill'. Did you mean 'ffill'?`,
    );
  });

  it('readSeries({ missingValues }) suggests missing', async () => {
    const error = await caught(() => api.readSeries(csv, { missingValues: ['?'] } as never));
    expect((error as Error).message).toContain('Did you mean "missing"?');
  });

  it('wrong JS types get an ArgumentError', async () => {
    for (const call of [
      () => api.readSeries(null as never),
      () => api.parseSeries(Buffer.from('date,y\n') as never),
      () => api.chronologicalSplit([1, 2, 3] as never),
      () => api.fitTransform(null as never, splits.train),
      () => api.createForecastingTask({} as never, { ...spec, period: 7 }),
      () => api.smape(null as never, [1]),
      () => api.baselineForecast('naive', [1, 2], [1], null as never),
      () => api.streamWindows(csv, null as never),
      () => api.loadRealSeries('nope' as never),
    ]) {
      expect(await caught(call)).toBeInstanceOf(ArgumentError);
    }
  });
});
