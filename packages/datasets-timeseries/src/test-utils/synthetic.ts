import type { TimeSeries } from '../series.js';

/**
 * A deterministic daily test series with `columns` columns: column c at row i is
 * 100 + 10c + 0.5i + 5·sin(2πi/period) + small wiggle, always positive.
 */
export function syntheticSeries(length: number, columns = 1, period = 7): TimeSeries {
  const values = new Float64Array(length * columns);
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < columns; c++) {
      values[i * columns + c] = 100 + 10 * c + 0.5 * i + 5 * Math.sin((2 * Math.PI * i) / period) + 0.3 * Math.cos(1.7 * i + c);
    }
  }
  return {
    source: 'synthetic',
    columns: Array.from({ length: columns }, (_, c) => `c${c}`),
    length,
    timestamps: Float64Array.from({ length }, (_, i) => Date.UTC(2000, 0, 1) + i * 86_400_000),
    values,
    frequency: { unit: 'ms', step: 86_400_000, name: 'day' },
    breaks: [],
    imputed: [],
  };
}

/** A copy of `series` with every value from row `from` on replaced by `value`. */
export function withFuture(series: TimeSeries, from: number, value: number): TimeSeries {
  const values = series.values.slice();
  values.fill(value, from * series.columns.length);
  return { ...series, values };
}
