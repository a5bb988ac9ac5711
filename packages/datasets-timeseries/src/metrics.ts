import { ArgumentError, assertInteger, describeValue } from '@gated/tensor';
import { NonFiniteValueError } from './errors.js';

// The rule every metric follows: NaN and ±Infinity in any input are refused with a NonFiniteValueError (never
// scored, never propagated), so a broken forecast cannot look good or silently poison an average.

function checkValues(metric: string, argument: 'actual' | 'forecast' | 'insample', values: ArrayLike<number>): void {
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
    throw new ArgumentError(`${metric} ${argument}`, 'an array or typed array of numbers', describeValue(values));
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteValueError({ metric, argument, index: i, value: typeof v === 'number' ? String(v) : describeValue(v) });
  }
}

function checkPair(metric: string, actual: ArrayLike<number>, forecast: ArrayLike<number>): void {
  checkValues(metric, 'actual', actual);
  checkValues(metric, 'forecast', forecast);
  if (actual.length !== forecast.length) throw new ArgumentError('forecast', `${actual.length} values (as actual)`, `${forecast.length}`);
  if (actual.length === 0) throw new ArgumentError('actual', 'at least one value', '0');
}

/** Mean absolute error: (1/h) Σ |y − ŷ|. NaN or ±Infinity in either input is a {@link NonFiniteValueError}. */
export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair('mae', actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!);
  return s / actual.length;
}

/** Root mean squared error: √((1/h) Σ (y − ŷ)²). NaN or ±Infinity in either input is a {@link NonFiniteValueError}. */
export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair('rmse', actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - forecast[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

/**
 * Mean absolute percentage error in percent: (100/h) Σ |y − ŷ| / |y|. Infinite when an actual value is 0 (finite
 * inputs, undefined ratio). NaN or ±Infinity in either input is a {@link NonFiniteValueError}.
 */
export function mape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair('mape', actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!) / Math.abs(actual[i]!);
  return (100 * s) / actual.length;
}

/**
 * Symmetric MAPE in percent, the M4 definition: (100/h) Σ 2|y − ŷ| / (|y| + |ŷ|) (0 ≤ sMAPE ≤ 200). A term whose
 * actual and forecast are both 0 counts as 0 (the M4 code would give NaN; M4 series are positive). NaN or ±Infinity in
 * either input is a {@link NonFiniteValueError} — it is never a term of 0.
 */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkPair('smape', actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const denominator = Math.abs(actual[i]!) + Math.abs(forecast[i]!);
    if (denominator > 0) s += (2 * Math.abs(actual[i]! - forecast[i]!)) / denominator;
  }
  return (100 * s) / actual.length;
}

/**
 * The in-sample mean absolute error of the seasonal naive forecast with period m:
 * (1/(n − m)) Σ_{t=m+1..n} |y_t − y_{t−m}| — MASE's denominator. NaN or ±Infinity in `insample` is a
 * {@link NonFiniteValueError}.
 */
export function seasonalNaiveScale(insample: ArrayLike<number>, period: number): number {
  checkValues('seasonalNaiveScale', 'insample', insample);
  assertInteger('period', period, 1);
  if (insample.length <= period) throw new ArgumentError('insample', `more than period ${period} values`, `${insample.length}`);
  let s = 0;
  for (let t = period; t < insample.length; t++) s += Math.abs(insample[t]! - insample[t - period]!);
  return s / (insample.length - period);
}

/**
 * Mean absolute scaled error, the M4 definition: MAE of the forecast divided by the in-sample MAE of the seasonal
 * naive forecast with period m ({@link seasonalNaiveScale}). Below 1 beats seasonal naive in-sample. NaN or ±Infinity in
 * any input is a {@link NonFiniteValueError}.
 */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, insample: ArrayLike<number>, period: number): number {
  checkPair('mase', actual, forecast);
  checkValues('mase', 'insample', insample);
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

/**
 * All {@link ForecastMetrics} at once, given MASE's in-sample scale (see {@link seasonalNaiveScale}). NaN or ±Infinity in
 * either input is a {@link NonFiniteValueError}.
 */
export function forecastMetrics(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number, period: number): ForecastMetrics {
  checkPair('forecastMetrics', actual, forecast);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ArgumentError('scale', 'a positive in-sample seasonal naive error', String(scale));
  const m = mae(actual, forecast);
  return { mae: m, rmse: rmse(actual, forecast), mape: mape(actual, forecast), smape: smape(actual, forecast), mase: m / scale, period, count: actual.length };
}
