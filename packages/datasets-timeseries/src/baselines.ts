import { ArgumentError, assertInteger, assertObject, checkOptions } from '@gated/tensor';

/** The baseline forecasters the package computes. */
export type BaselineName = 'naive' | 'seasonalNaive' | 'drift' | 'movingAverage';

/** Every {@link BaselineName}, in report order. */
export const BASELINE_NAMES: readonly BaselineName[] = ['naive', 'seasonalNaive', 'drift', 'movingAverage'];

/** Options of {@link baselineForecast}. */
export interface BaselineOptions {
  readonly horizon: number;
  /** Rows between forecast steps (the windows' sampling rate). Default 1. */
  readonly samplingRate?: number;
  /** Season length m, in rows (seasonal naive). */
  readonly period: number;
  /** Number of latest observations the moving average averages. Default: `period`. */
  readonly movingAverageWindow?: number;
}

/**
 * Baseline forecasts from the history of one column up to each anchor (the forecast origin, row a), for steps
 * h = k·r, k = 1..horizon. Definitions (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, §5.2):
 * - naive: ŷ_{a+h} = y_a;
 * - seasonalNaive: ŷ_{a+h} = y_{a+h−m(⌊(h−1)/m⌋+1)};
 * - drift: ŷ_{a+h} = y_a + h·(y_a − y_0)/a (the line through the first and the last observation);
 * - movingAverage: ŷ_{a+h} = (1/q) Σ_{j=0..q−1} y_{a−j}.
 * Only rows ≤ a are read. Returns `[anchors, horizon]` (row-major) in the column's units.
 */
export function baselineForecast(name: BaselineName, column: ArrayLike<number>, anchors: ArrayLike<number>, options: BaselineOptions): Float64Array {
  assertObject('baselineForecast options', options, 'an options object { horizon, period, samplingRate?, movingAverageWindow? }');
  checkOptions('baselineForecast', options, { horizon: 'integer', samplingRate: 'integer', period: 'integer', movingAverageWindow: 'integer' });
  const H = options.horizon;
  const r = options.samplingRate ?? 1;
  const m = options.period;
  const q = options.movingAverageWindow ?? m;
  assertInteger('horizon', H, 1);
  assertInteger('samplingRate', r, 1);
  assertInteger('period', m, 1);
  assertInteger('movingAverageWindow', q, 1);
  const out = new Float64Array(anchors.length * H);
  for (let b = 0; b < anchors.length; b++) {
    const a = anchors[b]!;
    if (!(a >= 0 && a < column.length)) throw new ArgumentError(`anchors[${b}]`, `a row in [0, ${column.length})`, String(a));
    const need = name === 'seasonalNaive' ? m - 1 : name === 'movingAverage' ? q - 1 : name === 'drift' ? 1 : 0;
    if (a < need) throw new ArgumentError(`anchors[${b}]`, `at least ${need + 1} observations of history for ${name}`, `${a + 1}`);
    let level = 0;
    if (name === 'movingAverage') {
      for (let j = 0; j < q; j++) level += column[a - j]!;
      level /= q;
    }
    for (let k = 1; k <= H; k++) {
      const h = k * r;
      let v: number;
      switch (name) {
        case 'naive':
          v = column[a]!;
          break;
        case 'seasonalNaive':
          v = column[a + h - m * (Math.floor((h - 1) / m) + 1)]!;
          break;
        case 'drift':
          v = column[a]! + (h * (column[a]! - column[0]!)) / a;
          break;
        case 'movingAverage':
          v = level;
          break;
        default:
          throw new ArgumentError('name', BASELINE_NAMES.join(', '), String(name));
      }
      out[b * H + k - 1] = v;
    }
  }
  return out;
}
