import { ArgumentError, assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { at } from './at.js';
import { BASELINE_NAMES, type BaselineName, baselineForecast } from './baselines.js';
import { type ForecastStrategy, forecastWindows, type PredictFn } from './forecast.js';
import { type ForecastMetrics, forecastMetrics, seasonalNaiveScale } from './metrics.js';
import type { TimeSeries } from './series.js';
import { chronologicalSplit, type SplitName, type SplitOptions, type Splits } from './split.js';
import { auditTransform, fitTransform, type SeriesTransform, type TransformOptions } from './transform.js';
import { type WindowDataset, windowDataset } from './window-dataset.js';
import { auditWindows, checkWindowSpec, gatherWindows, type WindowSpec, windowAnchors } from './windows.js';
import { SPLIT_SPEC, TASK_SPEC, TRANSFORM_SPEC } from './option-specs.js';
import { assertSeries } from './series.js';

/** Options of {@link createForecastingTask}. */
export interface ForecastingTaskOptions extends WindowSpec {
  /** Season length m in rows: MASE's scale and the seasonal naive baseline (12 for monthly data with a yearly cycle). */
  readonly period: number;
  /** Columns the model sees. Default: every column. */
  readonly inputColumns?: readonly string[];
  /** Columns to forecast (must be among the inputs). Default: the first input column. */
  readonly targetColumns?: readonly string[];
  /** Default `'direct'`. Under `'recursive'`, the datasets' `y` is the next step of every input column. */
  readonly strategy?: ForecastStrategy;
  /** Default `{ validation: 0.15, test: 0.15 }`. */
  readonly split?: SplitOptions;
  /** Default `{ scale: 'standard' }`, fit on the training range. */
  readonly transform?: TransformOptions;
  /** Moving average baseline's window. Default: `period`. */
  readonly movingAverageWindow?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Shuffle the training windows each epoch. Default true. */
  readonly shuffle?: boolean;
  /** Seed of the training shuffle. Default 0. */
  readonly seed?: number;
}

/** Defaults of {@link ForecastingTaskOptions}. */
export const TASK_DEFAULTS = { strategy: 'direct', batchSize: 32, shuffle: true, seed: 0 } as const;

/**
 * The full-horizon windows of a split, as scored: the same windows for every model and baseline.
 * Shapes: `inputs`/`inputsOriginal` [windows, inputLength, inputColumns]; `targets`/`targetsScaled`
 * [windows, horizon · targets] (step-major).
 */
export interface EvaluationWindows {
  readonly anchors: Int32Array;
  /** Timestamp of each window's last input (the forecast origin). */
  readonly origins: Float64Array;
  readonly inputShape: readonly [number, number, number];
  /** Scaled inputs, what a model is fed. */
  readonly inputs: Float32Array;
  readonly inputsOriginal: Float64Array;
  /** Targets in original units. */
  readonly targets: Float64Array;
  readonly targetsScaled: Float32Array;
}

/** {@link ForecastMetrics} pooled over all targets, and per target column. MASE scales each column by its own m-lag error. */
export interface TaskMetrics extends ForecastMetrics {
  readonly perTarget: Readonly<Record<string, ForecastMetrics>>;
}

/** A baseline's forecast on the test windows and its scores. */
export interface BaselineResult {
  /** [windows, horizon · targets] in original units, step-major. */
  readonly forecast: Float64Array;
  readonly metrics: TaskMetrics;
}

/** A model's forecast on a split's evaluation windows. */
export interface ForecastResult {
  readonly scaled: Float32Array;
  readonly original: Float64Array;
  readonly metrics: TaskMetrics;
}

/** Everything a forecasting experiment needs, leak-free by construction (see {@link createForecastingTask}). */
export interface ForecastingTask {
  readonly series: TimeSeries;
  readonly splits: Splits;
  readonly transform: SeriesTransform;
  readonly spec: Required<WindowSpec>;
  readonly strategy: ForecastStrategy;
  readonly period: number;
  readonly inputColumns: readonly string[];
  readonly targetColumns: readonly string[];
  /**
   * Datasets for training and monitoring: `x` [B, inputLength, inputs]; `y` [B, horizon · targets] (direct) or
   * [B, inputs] (recursive). Only train shuffles. Validation may be empty (`{ validation: 0 }`); train and test may not.
   */
  readonly train: WindowDataset;
  readonly validation: WindowDataset;
  readonly test: WindowDataset;
  /** Full-horizon windows scored by {@link ForecastingTask.evaluate}; each split's arrays are gathered on first access. */
  readonly windows: { readonly validation: EvaluationWindows; readonly test: EvaluationWindows };
  /** In-sample seasonal naive MAE of each target column over the training range (MASE's denominator). */
  readonly maseScale: Readonly<Record<string, number>>;
  /** Baselines on the test windows (computed on first access). */
  readonly baselines: Readonly<Record<BaselineName, BaselineResult>>;
  /** Scores a forecast in original units `[windows, horizon · targets]` on a split's evaluation windows. */
  evaluate(forecast: ArrayLike<number>, split?: 'validation' | 'test'): TaskMetrics;
  /** Runs `predict` over a split's evaluation windows with the task's strategy, inverts the transform and scores it. */
  forecast(predict: PredictFn, options?: { readonly split?: 'validation' | 'test'; readonly batchSize?: number }): Promise<ForecastResult>;
}

/**
 * Builds a leak-free forecasting task from a series: chronological split; transform fit on the training range only;
 * windows whose targets lie wholly inside their split (inputs may reach back into earlier splits — the past, never
 * the future); datasets in scaled units; the evaluation windows in original units; MASE scales and baselines on the
 * same test windows. Windows and transform are audited ({@link auditWindows}, {@link auditTransform}).
 *
 * @example
 * const task = createForecastingTask(series, { inputLength: 24, horizon: 12, period: 12 });
 * for await (const { x, y } of task.train) { … x.dispose(); y.dispose(); }
 * task.baselines.seasonalNaive.metrics.mase;
 */
export function createForecastingTask(series: TimeSeries, options: ForecastingTaskOptions): ForecastingTask {
  assertObject('createForecastingTask options', options, 'an options object { inputLength, horizon, period, … }');
  checkOptions('createForecastingTask', options, TASK_SPEC);
  if (options.split !== undefined) checkOptions('createForecastingTask split', options.split, SPLIT_SPEC);
  if (options.transform !== undefined) checkOptions('createForecastingTask transform', options.transform, TRANSFORM_SPEC);
  assertSeries('createForecastingTask series', series);
  const spec = checkWindowSpec(options);
  const { inputLength: L, horizon: H, samplingRate: r } = spec;
  assertInteger('period', options.period, 1);
  const period = options.period;
  const strategy = options.strategy ?? TASK_DEFAULTS.strategy;
  if (strategy !== 'direct' && strategy !== 'recursive') throw new ArgumentError('strategy', "'direct' or 'recursive'", String(strategy));
  const inputColumns = options.inputColumns ?? series.columns;
  // No input columns leaves no default target; the check below names both counts.
  const targetColumns = options.targetColumns ?? inputColumns.slice(0, 1);
  const columnIndex = (name: string, what: string, among: readonly string[]): number => {
    if (!among.includes(name)) throw new ArgumentError(what, `columns among ${among.join(', ')}`, name);
    return series.columns.indexOf(name);
  };
  const inputIndex = inputColumns.map((c) => columnIndex(c, 'inputColumns', series.columns));
  const targetIndex = targetColumns.map((c) => columnIndex(c, 'targetColumns', inputColumns));
  if (inputIndex.length === 0 || targetIndex.length === 0) throw new ArgumentError('columns', 'at least one input and one target column', `${inputIndex.length} inputs, ${targetIndex.length} targets`);
  const targetFeatures = targetColumns.map((c) => inputColumns.indexOf(c));

  const splits = chronologicalSplit(series, options.split);
  const transform = fitTransform(series, splits.train, options.transform);
  auditTransform(transform, splits.train);
  if (transform.lag % r !== 0) throw new ArgumentError('transform.difference', `a multiple of samplingRate ${r}`, String(transform.lag));
  const scaled = transform.transform(series);
  const width = series.columns.length;

  const steps = strategy === 'direct' ? H : 1;
  const yIndex = strategy === 'direct' ? targetIndex : inputIndex;
  const trainingSpec = { ...spec, horizon: steps };
  const geometry = { inputLength: L, samplingRate: r, steps };
  const batchSize = options.batchSize ?? TASK_DEFAULTS.batchSize;
  const seed = options.seed ?? TASK_DEFAULTS.seed;
  const dataset = (split: SplitName): WindowDataset => {
    const anchors = windowAnchors(series, splits, split, trainingSpec, transform.lag);
    auditWindows(anchors, split, splits, trainingSpec);
    if (anchors.length === 0 && split !== 'validation') throw new ArgumentError(`${split} windows`, `at least one window of ${L} inputs and ${steps} targets in rows [${splits[split].start}, ${splits[split].end})`, 'none');
    const shuffle = split === 'train' && (options.shuffle ?? TASK_DEFAULTS.shuffle);
    return windowDataset(scaled, width, anchors, geometry, inputIndex, yIndex, { batchSize, shuffle, seed });
  };

  const targetValues = targetIndex.map((c) => {
    const col = new Float64Array(series.length);
    for (let i = 0; i < series.length; i++) col[i] = series.values[i * width + c]!;
    return col;
  });
  // The MASE scale of each target, in targetColumns order and by name.
  const targetScales = targetValues.map((col) => seasonalNaiveScale(col.subarray(splits.train.start, splits.train.end), period));
  const maseScale: Record<string, number> = {};
  for (const [j, name] of targetColumns.entries()) maseScale[name] = at(targetScales, j, 'targetScales');

  // Evaluation anchors are computed and audited now; their windows are gathered on first use (they can be large).
  const evaluationAnchors = {
    validation: windowAnchors(series, splits, 'validation', spec, transform.lag),
    test: windowAnchors(series, splits, 'test', spec, transform.lag),
  };
  auditWindows(evaluationAnchors.validation, 'validation', splits, spec);
  auditWindows(evaluationAnchors.test, 'test', splits, spec);
  if (evaluationAnchors.test.length === 0) throw new ArgumentError('test windows', `at least one window with ${H} targets inside the test rows [${splits.test.start}, ${splits.test.end})`, 'none');
  const evaluationWindows = (split: 'validation' | 'test'): EvaluationWindows => {
    const anchors = evaluationAnchors[split];
    const full = { inputLength: L, samplingRate: r, steps: H };
    const s = gatherWindows(scaled, width, anchors, full, inputIndex, targetIndex);
    const o = gatherWindows(series.values, width, anchors, full, inputIndex, targetIndex, Float64Array);
    return {
      anchors,
      origins: Float64Array.from(anchors, (a) => series.timestamps[a]!),
      inputShape: [anchors.length, L, inputIndex.length],
      inputs: s.x,
      inputsOriginal: o.x,
      targets: o.y,
      targetsScaled: s.y,
    };
  };
  const gathered: { validation?: EvaluationWindows; test?: EvaluationWindows } = {};
  const windows = {
    get validation(): EvaluationWindows {
      gathered.validation ??= evaluationWindows('validation');
      return gathered.validation;
    },
    get test(): EvaluationWindows {
      gathered.test ??= evaluationWindows('test');
      return gathered.test;
    },
  };

  const evaluate = (forecast: ArrayLike<number>, split: 'validation' | 'test' = 'test'): TaskMetrics => {
    const w = windows[split];
    const T = targetColumns.length;
    if (forecast.length !== w.targets.length) throw new ArgumentError('forecast', `${w.anchors.length}·${H}·${T} values ([windows, horizon · targets])`, String(forecast.length));
    const perTarget: Record<string, ForecastMetrics> = {};
    const actual = Array.from({ length: T }, () => new Float64Array(w.targets.length / T));
    const predicted = Array.from({ length: T }, () => new Float64Array(w.targets.length / T));
    for (let i = 0; i < w.targets.length; i++) {
      actual[i % T]![Math.floor(i / T)] = w.targets[i]!;
      predicted[i % T]![Math.floor(i / T)] = forecast[i]!;
    }
    for (const [j, name] of targetColumns.entries()) {
      perTarget[name] = forecastMetrics(at(actual, j, 'actual'), at(predicted, j, 'predicted'), at(targetScales, j, 'targetScales'), period);
    }
    // Pooled: the plain metrics over all values; MASE as the mean of per-value scaled errors.
    const pooled = forecastMetrics(w.targets, forecast, 1, period);
    let scaledError = 0;
    for (let i = 0; i < w.targets.length; i++) scaledError += Math.abs(w.targets[i]! - forecast[i]!) / maseScale[targetColumns[i % T]!]!;
    return { ...pooled, mase: scaledError / w.targets.length, perTarget };
  };

  const computeBaselines = (): Record<BaselineName, BaselineResult> => {
    const result = {} as Record<BaselineName, BaselineResult>;
    const w = windows.test;
    const T = targetColumns.length;
    for (const name of BASELINE_NAMES) {
      const forecast = new Float64Array(w.targets.length);
      targetValues.forEach((col, j) => {
        const one = baselineForecast(name, col, w.anchors, { horizon: H, samplingRate: r, period, ...(options.movingAverageWindow !== undefined ? { movingAverageWindow: options.movingAverageWindow } : {}) });
        for (let i = 0; i < one.length; i++) forecast[i * T + j] = one[i]!;
      });
      result[name] = { forecast, metrics: evaluate(forecast, 'test') };
    }
    return result;
  };
  let baselines: Record<BaselineName, BaselineResult> | undefined;

  return {
    series,
    splits,
    transform,
    spec,
    strategy,
    period,
    inputColumns,
    targetColumns,
    train: dataset('train'),
    validation: dataset('validation'),
    test: dataset('test'),
    windows,
    maseScale,
    get baselines() {
      baselines ??= computeBaselines();
      return baselines;
    },
    evaluate,
    async forecast(predict, forecastOptions = {}) {
      const split = forecastOptions.split ?? 'test';
      const w = windows[split];
      const scaledForecast = await forecastWindows(w.inputs, w.inputShape, {
        strategy,
        predict,
        horizon: H,
        targetFeatures,
        ...(forecastOptions.batchSize !== undefined ? { batchSize: forecastOptions.batchSize } : {}),
      });
      const original = transform.inverseForecast(scaledForecast, w.anchors, series, { targetColumns, horizon: H, samplingRate: r });
      return { scaled: scaledForecast, original, metrics: evaluate(original, split) };
    },
  };
}
