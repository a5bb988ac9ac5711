import { ArgumentError, assertInteger } from '@gated/tensor';

function checkPair(actual: ArrayLike<number>, forecast: ArrayLike<number>): void {
  if (actual.length !== forecast.length) throw new ArgumentError('forecast', `${actual.length} values (as actual)`, `${forecast.length}`);
  if (actual.length === 0) throw new ArgumentError('actual', 'at least one value', '0');
}

/** Mean absolute error: (1/h) Σ |y − ŷ|. */
export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!);
  return s / actual.length;
}

/** Root mean squared error: √((1/h) Σ (y − ŷ)²). */
export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - forecast[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

/** Mean absolute percentage error in percent: (100/h) Σ |y − ŷ| / |y|. Infinite when an actual value is 0. */
export function mape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!) / Math.abs(actual[i]!);
  return (100 * s) / actual.length;
}

/**
 * Symmetric MAPE in percent, the M4 definition: (100/h) Σ 2|y − ŷ| / (|y| + |ŷ|) (0 ≤ sMAPE ≤ 200). A term whose
 * actual and forecast are both 0 counts as 0 (the M4 code would give NaN; M4 series are positive).
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const denominator = Math.abs(actual[i]!) + Math.abs(forecast[i]!);
    if (denominator > 0) s += (2 * Math.abs(actual[i]! - forecast[i]!)) / denominator;
  }
  return (100 * s) / actual.length;
}

/**
 * The in-sample mean absolute error of the seasonal naive forecast with period m:
 * (1/(n − m)) Σ_{t=m+1..n} |y_t − y_{t−m}| — MASE's denominator.
 */
export function seasonalNaiveScale(insample: ArrayLike<number>, period: number): number {
  assertInteger('period', period, 1);
  if (insample.length <= period) throw new ArgumentError('insample', `more than period ${period} values`, `${insample.length}`);
  let s = 0;
  for (let t = period; t < insample.length; t++) s += Math.abs(insample[t]! - insample[t - period]!);
  return s / (insample.length - period);
}

/**
 * Mean absolute scaled error, the M4 definition: MAE of the forecast divided by the in-sample MAE of the seasonal
 * naive forecast with period m ({@link seasonalNaiveScale}). Below 1 beats seasonal naive in-sample.
 */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, insample: ArrayLike<number>, period: number): number {
  return mae(actual, forecast) / seasonalNaiveScale(insample, period);
}

/** The scores of one forecast, in original units; `period` is the m of MASE (and of the seasonal naive baseline). */
export interface ForecastMetrics {
  readonly mae: number;
  readonly rmse: number;
  /** Percent. */
  readonly mape: number;
  /** Percent, 0–200. */
  readonly smape: number;
  readonly mase: number;
  readonly period: number;
  /** Number of forecast values scored. */
  readonly count: number;
}

/** All {@link ForecastMetrics} at once, given MASE's in-sample scale (see {@link seasonalNaiveScale}). */
export function forecastMetrics(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number, period: number): ForecastMetrics {
  if (!(scale > 0)) throw new ArgumentError('scale', 'a positive in-sample seasonal naive error', String(scale));
  const m = mae(actual, forecast);
  return { mae: m, rmse: rmse(actual, forecast), mape: mape(actual, forecast), smape: smape(actual, forecast), mase: m / scale, period, count: actual.length };
}
