import { GatedError } from '@gated/tensor';

/** The stable codes a {@link SeriesFormatError} carries. */
export type SeriesFormatCode =
  | 'GATED_TS_EMPTY'
  | 'GATED_TS_MISSING_COLUMN'
  | 'GATED_TS_RAGGED_ROW'
  | 'GATED_TS_BAD_TIMESTAMP'
  | 'GATED_TS_NOT_NUMERIC'
  | 'GATED_TS_DUPLICATE_TIMESTAMP'
  | 'GATED_TS_UNSORTED'
  | 'GATED_TS_IRREGULAR'
  | 'GATED_TS_GAP'
  | 'GATED_TS_MISSING_VALUE'
  | 'GATED_TS_NON_POSITIVE';

/** Typed payload of a {@link SeriesFormatError}. `row` is the 1-based line in the file (the header is line 1). */
export interface SeriesFormatDetails {
  readonly file: string;
  readonly row: number;
  readonly column: string;
  readonly expected: string;
  readonly actual: string;
}

/**
 * A CSV/TSV series cannot be read as a regular, complete, numeric time series: an empty file, a missing column,
 * a non-numeric cell, a duplicate or unsorted timestamp, an irregular step, a gap or a missing value under the
 * `error` policy. The message names the file, the row (line number) and the column.
 */
export class SeriesFormatError extends GatedError<SeriesFormatDetails> {
  declare readonly code: SeriesFormatCode;

  constructor(code: SeriesFormatCode, details: SeriesFormatDetails, hint?: string) {
    const where = `${details.file}, row ${details.row}, column "${details.column}"`;
    super(code, `${where}: expected ${details.expected}, found ${details.actual}${hint ? ` (${hint})` : ''}`, details);
  }
}

/** Typed payload of a {@link LeakageError}. Indices are row positions in the series. */
export interface LeakageDetails {
  readonly split: 'train' | 'validation' | 'test';
  readonly what: 'window-input' | 'window-target' | 'scaler';
  readonly index: number;
  readonly allowed: readonly [number, number];
}

/**
 * A window or a fitted transform would use data it must not see: a training window touching validation/test rows,
 * a validation/test window whose targets leave its range or whose inputs are not strictly before its targets, or a
 * scaler fit beyond the training range. Thrown by {@link auditWindows} and {@link auditTransform}.
 */
export class LeakageError extends GatedError<LeakageDetails> {
  declare readonly code: 'GATED_TS_LEAKAGE';

  constructor(details: LeakageDetails, message: string) {
    super('GATED_TS_LEAKAGE', message, details);
  }
}

/** Typed payload of a {@link NonFiniteValueError}. */
export interface NonFiniteValueDetails {
  /** The metric that refused, e.g. `'smape'`. */
  readonly metric: string;
  readonly argument: 'actual' | 'forecast' | 'insample';
  /** Position of the first non-finite value. */
  readonly index: number;
  /** NaN, Infinity or -Infinity (or the non-number found). */
  readonly value: string;
}

/**
 * A forecast metric was given a NaN or ±Infinity (or a non-number) among its values. Every metric refuses such
 * input instead of scoring it: NaN would otherwise vanish in some formulas (an all-NaN forecast got sMAPE 0, a
 * perfect score) and spread in others. Code `GATED_TS_NON_FINITE`.
 */
export class NonFiniteValueError extends GatedError<NonFiniteValueDetails> {
  declare readonly code: 'GATED_TS_NON_FINITE';

  constructor(details: NonFiniteValueDetails) {
    super(
      'GATED_TS_NON_FINITE',
      `${details.metric}: ${details.argument}[${details.index}]: expected a finite number, got ${details.value} (metrics refuse NaN and ±Infinity rather than score them)`,
      details,
    );
  }
}
