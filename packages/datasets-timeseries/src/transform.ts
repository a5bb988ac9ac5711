import { ArgumentError, assertObject, checkOptions } from '@gated/tensor';
import { LeakageError, SeriesFormatError } from './errors.js';
import type { TimeSeries } from './series.js';
import type { RowRange } from './split.js';
import { TRANSFORM_SPEC } from './option-specs.js';
import { assertSeries } from './series.js';

/** Per-column scaling after the optional log and differencing steps. */
export type ScaleKind = 'standard' | 'minmax' | 'none';

/** Options of {@link fitTransform}. */
export interface TransformOptions {
  /** `standard`: (x − mean) / std (population std, as scikit-learn); `minmax`: (x − min) / (max − min) into [0, 1]. Default `'standard'`. */
  readonly scale?: ScaleKind;
  /** Natural log before anything else: `true` for every column or a list of columns. Values must be > 0. Default `false`. */
  readonly log?: boolean | readonly string[];
  /** Differencing lag (1 = first differences, m = seasonal differences); 0 = none. Default `0`. */
  readonly difference?: number;
}

/** Defaults of {@link TransformOptions}. */
export const TRANSFORM_DEFAULTS = { scale: 'standard', log: false, difference: 0 } as const;

/**
 * A fitted, invertible series transform: log (optional) → differencing at `lag` (optional) → per-column scaling
 * with `center` and `scaleBy` (x′ = (x − center) / scaleBy). The scaling statistics come from the rows in
 * `fitRange` only — the training range — so nothing from validation or test shapes them.
 */
export class SeriesTransform {
  readonly columns: readonly string[];
  readonly scale: ScaleKind;
  readonly log: readonly boolean[];
  readonly lag: number;
  readonly center: Float64Array;
  readonly scaleBy: Float64Array;
  readonly fitRange: RowRange;

  constructor(init: {
    columns: readonly string[];
    scale: ScaleKind;
    log: readonly boolean[];
    lag: number;
    center: Float64Array;
    scaleBy: Float64Array;
    fitRange: RowRange;
  }) {
    assertObject('new SeriesTransform init', init, 'the fitted statistics { columns, scale, log, lag, center, scaleBy, fitRange }');
    checkOptions('new SeriesTransform', init, { columns: 'array', scale: TRANSFORM_SPEC.scale, log: 'array', lag: 'integer', center: 'array', scaleBy: 'array', fitRange: 'object' });
    this.columns = init.columns;
    this.scale = init.scale;
    this.log = init.log;
    this.lag = init.lag;
    this.center = init.center;
    this.scaleBy = init.scaleBy;
    this.fitRange = init.fitRange;
  }

  /**
   * Transforms one row: `row` is the raw row, `lagRow` the raw row `lag` steps earlier (ignored when `lag` is 0).
   * Writes scaled values to `out` at `offset`.
   */
  transformRow(row: ArrayLike<number>, lagRow: ArrayLike<number> | undefined, out: Float32Array, offset: number): void {
    for (let c = 0; c < this.columns.length; c++) {
      let v = this.logValue(row[c]!, c);
      if (this.lag > 0) v -= this.logValue(lagRow![c]!, c);
      out[offset + c] = (v - this.center[c]!) / this.scaleBy[c]!;
    }
  }

  /** Transforms a whole series into float32 `[length, columns]`; the first `lag` rows (no predecessor) are NaN. */
  transform(series: TimeSeries): Float32Array {
    const w = this.columns.length;
    const out = new Float32Array(series.length * w);
    for (let i = 0; i < series.length; i++) {
      if (i < this.lag) {
        out.fill(Number.NaN, i * w, (i + 1) * w);
        continue;
      }
      this.transformRow(series.values.subarray(i * w, (i + 1) * w), this.lag > 0 ? series.values.subarray((i - this.lag) * w, (i - this.lag + 1) * w) : undefined, out, i * w);
    }
    return out;
  }

  /**
   * Undoes scaling and log for values of one column (original units). Only defined without differencing — a
   * differenced forecast needs its origin's level: use {@link SeriesTransform.inverseForecast}.
   */
  inverseTransform(scaled: ArrayLike<number>, column: string): Float64Array {
    if (this.lag > 0) throw new ArgumentError('transform', 'no differencing for inverseTransform (use inverseForecast)', `difference ${this.lag}`);
    const c = this.columnIndex(column);
    const out = new Float64Array(scaled.length);
    for (let i = 0; i < scaled.length; i++) {
      const v = scaled[i]! * this.scaleBy[c]! + this.center[c]!;
      out[i] = this.log[c] ? Math.exp(v) : v;
    }
    return out;
  }

  /**
   * Turns scaled forecasts `[windows, horizon · targets]` (step-major: step k, target j at k·targets + j) back to
   * original units. `anchors` are the windows' last input rows in `series`; step k forecasts row anchor + k·r.
   * Differencing is undone by chaining from levels observed at or before the anchor — past values only.
   */
  inverseForecast(
    scaled: ArrayLike<number>,
    anchors: ArrayLike<number>,
    series: TimeSeries,
    spec: { readonly targetColumns: readonly string[]; readonly horizon: number; readonly samplingRate?: number },
  ): Float64Array {
    const r = spec.samplingRate ?? 1;
    const H = spec.horizon;
    const targets = spec.targetColumns.map((name) => this.columnIndex(name));
    const T = targets.length;
    if (scaled.length !== anchors.length * H * T) throw new ArgumentError('scaled', `${anchors.length} × ${H} × ${T} values`, `${scaled.length}`);
    if (this.lag % r !== 0) throw new ArgumentError('difference', `a multiple of samplingRate ${r}`, String(this.lag));
    const w = this.columns.length;
    const q = this.lag / r;
    const out = new Float64Array(scaled.length);
    for (let b = 0; b < anchors.length; b++) {
      const a = anchors[b]!;
      for (let k = 0; k < H; k++) {
        for (let j = 0; j < T; j++) {
          const c = targets[j]!;
          const i = (b * H + k) * T + j;
          let v = scaled[i]! * this.scaleBy[c]! + this.center[c]!;
          if (this.lag > 0) {
            // y_t = Δy_t + y_{t−lag}: the earlier level is observed (≤ anchor) or an earlier step of this forecast.
            const earlier = k - q;
            v += earlier >= 0 ? this.logLevel(out[(b * H + earlier) * T + j]!, c) : this.logValue(series.values[(a + (k + 1) * r - this.lag) * w + c]!, c);
          }
          out[i] = this.log[c] ? Math.exp(v) : v;
        }
      }
    }
    return out;
  }

  /** Position of a column, or an {@link ArgumentError}. */
  columnIndex(column: string): number {
    const c = this.columns.indexOf(column);
    if (c < 0) throw new ArgumentError('column', `one of ${this.columns.join(', ')}`, column);
    return c;
  }

  private logValue(v: number, c: number): number {
    return this.log[c] ? Math.log(v) : v;
  }

  private logLevel(original: number, c: number): number {
    return this.log[c] ? Math.log(original) : original;
  }
}

/**
 * Fits a {@link SeriesTransform} on the rows `range` of `series` (pass the training range). Rows before `lag` have no
 * difference and are skipped. Throws a {@link SeriesFormatError} (`GATED_TS_NON_POSITIVE`) when a logged column holds a
 * value ≤ 0 anywhere in the series.
 */
export function fitTransform(series: TimeSeries, range: RowRange, options: TransformOptions = {}): SeriesTransform {
  checkOptions('fitTransform', options, TRANSFORM_SPEC);
  assertSeries('fitTransform series', series);
  const scale = options.scale ?? TRANSFORM_DEFAULTS.scale;
  if (scale !== 'standard' && scale !== 'minmax' && scale !== 'none') throw new ArgumentError('scale', "'standard', 'minmax' or 'none'", String(scale));
  const lag = options.difference ?? TRANSFORM_DEFAULTS.difference;
  if (!Number.isInteger(lag) || lag < 0) throw new ArgumentError('difference', 'an integer lag ≥ 0', String(lag));
  const logOpt = options.log ?? TRANSFORM_DEFAULTS.log;
  for (const name of Array.isArray(logOpt) ? logOpt : []) {
    if (!series.columns.includes(name)) throw new ArgumentError('log', `columns among ${series.columns.join(', ')}`, name);
  }
  const log = series.columns.map((name) => (Array.isArray(logOpt) ? logOpt.includes(name) : logOpt === true));
  const w = series.columns.length;
  for (const [c, column] of series.columns.entries()) {
    if (!log[c]) continue;
    for (let i = 0; i < series.length; i++) {
      const v = series.values[i * w + c]!;
      if (!(v > 0)) {
        throw new SeriesFormatError('GATED_TS_NON_POSITIVE', { file: series.source, row: i, column, expected: 'a value > 0 for the log transform (row = series index)', actual: String(v) });
      }
    }
  }
  const start = Math.max(range.start, lag);
  if (range.end - start < 1) throw new ArgumentError('range', `at least one row after the differencing lag ${lag}`, `rows [${range.start}, ${range.end})`);
  const n = range.end - start;
  const center = new Float64Array(w);
  const scaleBy = new Float64Array(w).fill(1);
  const column = new Float64Array(n);
  for (let c = 0; c < w; c++) {
    const at = (i: number): number => (log[c] ? Math.log(series.values[i * w + c]!) : series.values[i * w + c]!);
    for (let i = start; i < range.end; i++) column[i - start] = lag > 0 ? at(i) - at(i - lag) : at(i);
    if (scale === 'standard') {
      let mean = 0;
      for (const v of column) mean += v;
      mean /= n;
      let variance = 0;
      for (const v of column) variance += (v - mean) ** 2;
      const std = Math.sqrt(variance / n);
      center[c] = mean;
      scaleBy[c] = std > 0 ? std : 1;
    } else if (scale === 'minmax') {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of column) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      center[c] = lo;
      scaleBy[c] = hi > lo ? hi - lo : 1;
    }
  }
  return new SeriesTransform({ columns: series.columns, scale, log, lag, center, scaleBy, fitRange: range });
}

/** Throws a {@link LeakageError} unless `transform` was fit inside the training range. */
export function auditTransform(transform: SeriesTransform, train: RowRange): void {
  if (transform.fitRange.start < train.start || transform.fitRange.end > train.end) {
    throw new LeakageError(
      { split: 'train', what: 'scaler', index: transform.fitRange.end - 1, allowed: [train.start, train.end] },
      `the transform was fit on rows [${transform.fitRange.start}, ${transform.fitRange.end}) but the training range is [${train.start}, ${train.end}): its statistics see validation/test data`,
    );
  }
}
