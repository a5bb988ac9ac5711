import type { OptionSpec } from '@gated/tensor';

const FREQUENCIES = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;

/** The keys of {@link SeriesOptions} and what they hold (`missing` is an enum: a typo must not switch the check off). */
export const SERIES_SPEC = {
  timeColumn: 'any',
  valueColumns: 'array',
  delimiter: [',', '\t', ';', 'auto'],
  frequency: [...FREQUENCIES, 'auto'],
  missing: ['error', 'ffill', 'interpolate', 'drop'],
  missingTokens: 'array',
  timeFormat: ['iso', 'epoch-ms', 'epoch-s'],
} as const satisfies OptionSpec;

/** The keys of {@link TransformOptions}. */
export const TRANSFORM_SPEC = { scale: ['standard', 'minmax', 'none'], log: 'any', difference: 'integer' } as const satisfies OptionSpec;

/** The keys of {@link WindowSpec}. */
export const WINDOW_SPEC = { inputLength: 'integer', horizon: 'integer', stride: 'integer', samplingRate: 'integer' } as const satisfies OptionSpec;

/** The keys of {@link SplitOptions} (fractions or start times). */
export const SPLIT_SPEC = { validation: 'number', test: 'number', validationStart: 'any', testStart: 'any' } as const satisfies OptionSpec;

/** The keys of {@link ForecastingTaskOptions}. */
export const TASK_SPEC = {
  ...WINDOW_SPEC,
  period: 'integer',
  inputColumns: 'array',
  targetColumns: 'array',
  strategy: ['direct', 'recursive'],
  split: 'object',
  transform: 'object',
  movingAverageWindow: 'integer',
  batchSize: 'integer',
  shuffle: 'boolean',
  seed: 'integer',
} as const satisfies OptionSpec;

/** The keys of {@link StreamWindowsOptions}. */
export const STREAM_WINDOWS_SPEC = {
  ...SERIES_SPEC,
  ...WINDOW_SPEC,
  inputColumns: 'array',
  targetColumns: 'array',
  transform: 'object',
  targetsFrom: 'any',
  targetsBefore: 'any',
  batchSize: 'integer',
} as const satisfies OptionSpec;
