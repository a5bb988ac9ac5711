export { SeriesFormatError, LeakageError, NonFiniteValueError } from './errors.js';
export type { SeriesFormatCode, SeriesFormatDetails, LeakageDetails, NonFiniteValueDetails } from './errors.js';
export { SERIES_DEFAULTS } from './series.js';
export type { TimeSeries, SeriesOptions, MissingPolicy, CalendarColumns } from './series.js';
export { parseSeries, readSeries } from './read-series.js';
export { parseTimestamp, formatTimestamp } from './timestamp.js';
export type { TimeFormat } from './timestamp.js';
export { frequencyOf, inferFrequency, stepsBetween, addSteps } from './frequency.js';
export type { Frequency, FrequencyName } from './frequency.js';
export { chronologicalSplit, SPLIT_DEFAULTS } from './split.js';
export type { Splits, SplitName, SplitOptions, RowRange } from './split.js';
export { SeriesTransform, fitTransform, auditTransform, TRANSFORM_DEFAULTS } from './transform.js';
export type { TransformOptions, ScaleKind } from './transform.js';
export { windowAnchors, auditWindows, gatherWindows, WINDOW_DEFAULTS } from './windows.js';
export type { WindowSpec, GatheredWindows } from './windows.js';
export { windowDataset, WINDOW_DATASET_DEFAULTS } from './window-dataset.js';
export type { WindowDataset, WindowDatasetOptions } from './window-dataset.js';
export { forecastWindows } from './forecast.js';
export type { ForecastStrategy, PredictFn, ForecastOptions } from './forecast.js';
export { baselineForecast, BASELINE_NAMES } from './baselines.js';
export type { BaselineName, BaselineOptions } from './baselines.js';
export { mae, rmse, mape, smape, mase, seasonalNaiveScale, forecastMetrics } from './metrics.js';
export type { ForecastMetrics } from './metrics.js';
export { createForecastingTask, TASK_DEFAULTS } from './forecasting-task.js';
export type {
  ForecastingTask,
  ForecastingTaskOptions,
  EvaluationWindows,
  TaskMetrics,
  BaselineResult,
  ForecastResult,
} from './forecasting-task.js';
export { REAL_SERIES, realSeriesPath, loadRealSeries, loadCo2Forecasting, CO2_DEFAULTS } from './real-series.js';
export type { RealSeriesName, RealSeriesInfo, LoadRealSeriesOptions, Co2ForecastingOptions } from './real-series.js';
export { streamWindows, fitTransformStream, streamSeriesRows } from './stream-windows.js';
export type { StreamWindowsOptions, FitTransformStreamOptions } from './stream-windows.js';
