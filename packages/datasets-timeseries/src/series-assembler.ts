import { at } from './at.js';
import { SeriesFormatError } from './errors.js';
import { addSteps, type Frequency, stepsBetween } from './frequency.js';
import type { DecodedRow } from './row-decoder.js';
import type { MissingPolicy } from './series.js';
import { formatTimestamp } from './timestamp.js';

/** A row leaving the assembler: on the regular grid, complete, with flags for imputation and breaks. */
export interface AssembledRow {
  readonly t: number;
  readonly values: Float64Array;
  readonly imputed: boolean;
  /** True when this row does not follow the previous emitted row by one step (`drop` policy only). */
  readonly breakBefore: boolean;
}

interface PendingRow {
  t: number;
  values: Float64Array;
  line: number;
  position: number;
  imputed: boolean;
  breakBefore: boolean;
}

/**
 * Turns decoded rows, in file order, into a regular complete series under a {@link MissingPolicy}. Works one row at
 * a time so the same code serves in-memory loading and streaming: `push` each row, then `end`. Rows come out through
 * `emit` as soon as they are final (under `interpolate`, once the next observation of every missing column is seen).
 */
export class SeriesAssembler {
  private readonly pending: PendingRow[] = [];
  private readonly lastValid: ({ position: number; value: number } | undefined)[];
  private readonly lastValues: Float64Array;
  private previous: { t: number; line: number } | undefined;
  private position = 0;
  private breakNext = false;
  private hasEmitted = false;

  constructor(
    private readonly columns: readonly string[],
    private readonly frequency: Frequency,
    private readonly policy: MissingPolicy,
    private readonly file: string,
    private readonly emit: (row: AssembledRow) => void,
    private readonly timeColumn = 'time',
  ) {
    this.lastValid = columns.map(() => undefined);
    this.lastValues = new Float64Array(columns.length).fill(Number.NaN);
  }

  push(row: DecodedRow): void {
    const { t, line } = row;
    const prev = this.previous;
    if (prev !== undefined) {
      if (t === prev.t) this.fail('GATED_TS_DUPLICATE_TIMESTAMP', line, this.timeColumn, `a timestamp after ${formatTimestamp(prev.t)} (row ${prev.line})`, `${formatTimestamp(t)} again`);
      if (t < prev.t) this.fail('GATED_TS_UNSORTED', line, this.timeColumn, `timestamps in increasing order, after ${formatTimestamp(prev.t)} (row ${prev.line})`, formatTimestamp(t));
      const steps = stepsBetween(prev.t, t, this.frequency);
      if (!Number.isInteger(steps)) {
        this.fail('GATED_TS_IRREGULAR', line, this.timeColumn, `a whole number of ${this.frequency.name} steps after ${formatTimestamp(prev.t)} (row ${prev.line})`, `${formatTimestamp(t)}`);
      }
      if (steps > 1) this.gap(prev, row, steps);
      this.position += steps;
    }
    this.previous = { t, line };
    this.accept({ t, values: row.values, line, position: this.position, imputed: false, breakBefore: false });
  }

  end(): void {
    const first = this.pending[0];
    if (first !== undefined) {
      const c = first.values.findIndex((v) => Number.isNaN(v));
      this.fail('GATED_TS_MISSING_VALUE', first.line, at(this.columns, c, 'columns'), 'an observation after this missing value to interpolate towards', 'none until the end of the file', "use missing: 'ffill' or 'drop'");
    }
  }

  private gap(prev: { t: number; line: number }, row: DecodedRow, steps: number): void {
    const missing = steps - 1;
    switch (this.policy) {
      case 'error':
        this.fail('GATED_TS_GAP', row.line, this.timeColumn, `${formatTimestamp(addSteps(prev.t, 1, this.frequency))} after row ${prev.line} (${this.frequency.name} steps)`, `${formatTimestamp(row.t)}: ${missing} missing timestamp${missing > 1 ? 's' : ''}`, "set missing to 'ffill', 'interpolate' or 'drop'");
        break;
      case 'drop':
        this.breakNext = true;
        break;
      default:
        for (let k = 1; k < steps; k++) {
          const values = new Float64Array(this.columns.length).fill(Number.NaN);
          this.accept({ t: addSteps(prev.t, k, this.frequency), values, line: row.line, position: this.position + k, imputed: true, breakBefore: false });
        }
    }
  }

  private accept(row: PendingRow): void {
    const { values } = row;
    let hasMissing = false;
    for (let c = 0; c < values.length; c++) if (Number.isNaN(values[c]!)) hasMissing = true;
    if (hasMissing) {
      switch (this.policy) {
        case 'error': {
          const c = values.findIndex((v) => Number.isNaN(v));
          this.fail('GATED_TS_MISSING_VALUE', row.line, at(this.columns, c, 'columns'), 'a value', 'a missing cell', "set missing to 'ffill', 'interpolate' or 'drop'");
          break;
        }
        case 'drop':
          this.breakNext = true;
          return;
        case 'ffill':
          for (let c = 0; c < values.length; c++) {
            if (!Number.isNaN(values[c]!)) continue;
            if (Number.isNaN(this.lastValues[c]!)) this.fail('GATED_TS_MISSING_VALUE', row.line, at(this.columns, c, 'columns'), 'an earlier value to carry forward', 'a missing value before any observation', "use missing: 'drop'");
            values[c] = this.lastValues[c]!;
          }
          row.imputed = true;
          break;
        case 'interpolate':
          for (let c = 0; c < values.length; c++) {
            if (Number.isNaN(values[c]!) && this.lastValid[c] === undefined) {
              this.fail('GATED_TS_MISSING_VALUE', row.line, at(this.columns, c, 'columns'), 'an earlier value to interpolate from', 'a missing value before any observation', "use missing: 'drop'");
            }
          }
          row.imputed = true;
          break;
      }
    }
    if (this.breakNext) {
      row.breakBefore = this.hasEmitted || this.pending.length > 0;
      this.breakNext = false;
    }
    if (this.policy === 'interpolate') {
      // Fill earlier pending gaps of every column this row observes: v = a + (b − a)·(p − pa)/(pb − pa).
      for (let c = 0; c < values.length; c++) {
        const v = values[c]!;
        if (Number.isNaN(v)) continue;
        const last = this.lastValid[c];
        if (last !== undefined && row.position - last.position > 1) {
          for (const p of this.pending) {
            if (Number.isNaN(p.values[c]!)) {
              p.values[c] = last.value + ((v - last.value) * (p.position - last.position)) / (row.position - last.position);
            }
          }
        }
        this.lastValid[c] = { position: row.position, value: v };
      }
      this.pending.push(row);
      // Send the complete rows at the front; the first row still waiting for a value stops the flush.
      for (let head = this.pending[0]; head !== undefined && !head.values.some((x) => Number.isNaN(x)); head = this.pending[0]) {
        this.pending.shift();
        this.send(head);
      }
      return;
    }
    this.send(row);
  }

  private send(row: PendingRow): void {
    this.lastValues.set(row.values);
    this.hasEmitted = true;
    this.emit({ t: row.t, values: row.values, imputed: row.imputed, breakBefore: row.breakBefore });
  }

  private fail(code: ConstructorParameters<typeof SeriesFormatError>[0], row: number, column: string, expected: string, actual: string, hint?: string): never {
    throw new SeriesFormatError(code, { file: this.file, row, column, expected, actual }, hint);
  }
}
