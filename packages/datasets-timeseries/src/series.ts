import type { Frequency, FrequencyName } from './frequency.js';
import type { TimeFormat } from './timestamp.js';
import { ArgumentError, describeValue } from '@gated/tensor';

/**
 * What to do with a missing cell (empty, `NA`, `NaN`, …) or a missing timestamp (a gap in the regular grid):
 * - `error` (default): throw a {@link SeriesFormatError} naming the row and column;
 * - `ffill`: carry the last observed value forward (causal: uses only the past);
 * - `interpolate`: linear in time between the neighbouring observations (uses the next observation, so it looks
 *   ahead across the gap — harmless inside the training range, a mild leak inside validation/test);
 * - `drop`: remove the row; the series records a break there and no window spans it.
 */
export type MissingPolicy = 'error' | 'ffill' | 'interpolate' | 'drop';

/** Names the year/month/day columns when the time is spread over several columns (as in the US births data). */
export interface CalendarColumns {
  readonly year: string;
  readonly month?: string;
  readonly day?: string;
}

/** Options to read a CSV/TSV file into a {@link TimeSeries}. */
export interface SeriesOptions {
  /** Time column name, or calendar columns. Default: the first column. */
  readonly timeColumn?: string | CalendarColumns;
  /** Value columns to keep, in this order. Default: every other column. */
  readonly valueColumns?: readonly string[];
  /** Field delimiter. Default `'auto'`: tab for .tsv or a tab-only header, else comma. */
  readonly delimiter?: ',' | '\t' | ';' | 'auto';
  /** Expected frequency. Default `'auto'` (inferred: calendar months, or the most common step). */
  readonly frequency?: FrequencyName | 'auto';
  /** Missing value policy. Default `'error'`. */
  readonly missing?: MissingPolicy;
  /** Cell texts read as missing. Default `['', 'NA', 'N/A', 'NaN', 'nan', 'null']`. */
  readonly missingTokens?: readonly string[];
  /** How the time column is written. Default `'iso'`. */
  readonly timeFormat?: TimeFormat;
}

/** The defaults of {@link SeriesOptions}, in one place. */
export const SERIES_DEFAULTS = {
  delimiter: 'auto',
  frequency: 'auto',
  missing: 'error',
  missingTokens: ['', 'NA', 'N/A', 'NaN', 'nan', 'null'],
  timeFormat: 'iso',
} as const;

/**
 * A regular multivariate time series held in memory. `values` is row-major `[length, columns.length]`.
 * `breaks` lists the rows that do not follow their predecessor by exactly one step (only under the `drop`
 * policy); `imputed` lists the rows holding at least one filled-in value (`ffill`/`interpolate`).
 */
export interface TimeSeries {
  readonly source: string;
  readonly columns: readonly string[];
  readonly length: number;
  /** Milliseconds since the Unix epoch (UTC), strictly increasing. */
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
  readonly frequency: Frequency;
  readonly breaks: readonly number[];
  readonly imputed: readonly number[];
}

/** Throws an ArgumentError unless `series` looks like a {@link TimeSeries} (a plain array of numbers is not one). */
export function assertSeries(argument: string, series: unknown): asserts series is TimeSeries {
  const s = series as Partial<TimeSeries> | null;
  if (typeof s !== 'object' || s === null || !(s.values instanceof Float64Array) || !(s.timestamps instanceof Float64Array) || !Array.isArray(s.columns)) {
    throw new ArgumentError(argument, 'a TimeSeries (from readSeries or parseSeries)', describeValue(series));
  }
}
