import { ArgumentError, checkOptions } from '@gated/tensor';
import { at } from './at.js';
import type { TimeSeries } from './series.js';
import { formatTimestamp, parseTimestamp } from './timestamp.js';
import { SPLIT_SPEC } from './option-specs.js';
import { assertSeries } from './series.js';

/** Rows `[start, end)` of a series. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/** The three chronological ranges: train, then validation, then test; they tile the series without overlap. */
export interface Splits {
  readonly train: RowRange;
  readonly validation: RowRange;
  readonly test: RowRange;
}

/** The name of one split. */
export type SplitName = keyof Splits;

/**
 * How to cut a series: by fractions of its rows (`{ validation: 0.15, test: 0.15 }`, the default) or at
 * timestamps (`{ validationStart: '2005-01-01', testStart: '2010-01-01' }` — the first row at or after each).
 */
export type SplitOptions =
  | { readonly validation?: number; readonly test?: number }
  | { readonly validationStart: string | number; readonly testStart: string | number };

/** Default split fractions. */
export const SPLIT_DEFAULTS = { validation: 0.15, test: 0.15 } as const;

/**
 * Cuts a series chronologically into train / validation / test row ranges. Every range must be non-empty.
 *
 * @example
 * chronologicalSplit(series, { validationStart: '2005-01-01', testStart: '2010-01-01' });
 */
export function chronologicalSplit(series: TimeSeries, options: SplitOptions = {}): Splits {
  checkOptions('chronologicalSplit', options, SPLIT_SPEC);
  assertSeries('chronologicalSplit series', series);
  const n = series.length;
  let a: number;
  let b: number;
  if ('validationStart' in options) {
    a = firstAtOrAfter(series, 'validationStart', options.validationStart);
    b = firstAtOrAfter(series, 'testStart', options.testStart);
  } else {
    const v = options.validation ?? SPLIT_DEFAULTS.validation;
    const t = options.test ?? SPLIT_DEFAULTS.test;
    if (!(v >= 0 && t > 0 && v + t < 1)) throw new ArgumentError('split', 'fractions with validation ≥ 0, test > 0 and validation + test < 1', `validation ${v}, test ${t}`);
    b = n - Math.round(n * t);
    a = b - Math.round(n * v);
  }
  if (!(0 < a && a <= b && b < n)) {
    throw new ArgumentError('split', 'a non-empty train range, then validation, then a non-empty test range', `train rows [0, ${a}), validation [${a}, ${b}), test [${b}, ${n})`);
  }
  return { train: { start: 0, end: a }, validation: { start: a, end: b }, test: { start: b, end: n } };
}

function firstAtOrAfter(series: TimeSeries, name: string, time: string | number): number {
  const t = typeof time === 'number' ? time : parseTimestamp(time);
  if (t === undefined) throw new ArgumentError(name, 'an ISO date or a timestamp in ms', JSON.stringify(time));
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(series.timestamps, mid, 'timestamps') < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo === series.length) {
    throw new ArgumentError(name, `a time within the series (${formatTimestamp(at(series.timestamps, 0, 'timestamps'))} … ${formatTimestamp(at(series.timestamps, series.length - 1, 'timestamps'))})`, formatTimestamp(t));
  }
  return lo;
}
