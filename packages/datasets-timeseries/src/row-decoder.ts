import { ArgumentError } from '@gated/tensor';
import { at } from './at.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { SeriesFormatError } from './errors.js';
import { SERIES_DEFAULTS, type SeriesOptions } from './series.js';
import { parseTimestamp, type TimeFormat } from './timestamp.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One decoded data row: its timestamp, its values (NaN = missing) and its line in the file. */
export interface DecodedRow {
  readonly t: number;
  readonly values: Float64Array;
  readonly line: number;
}

/** Maps CSV records to timestamps and numeric values, checking every cell; built from the header record. */
export class RowDecoder {
  readonly columns: readonly string[];
  private readonly file: string;
  private readonly header: readonly string[];
  private readonly timeIndex: readonly number[];
  /** The time column's name (`year/month/day` for calendar columns). */
  readonly timeName: string;
  private readonly valueIndex: readonly number[];
  private readonly missing: ReadonlySet<string>;
  private readonly timeFormat: TimeFormat;

  constructor(header: CsvRecord, options: SeriesOptions, file: string) {
    this.file = file;
    this.header = header.fields.map((h) => h.trim());
    this.missing = new Set(options.missingTokens ?? SERIES_DEFAULTS.missingTokens);
    this.timeFormat = options.timeFormat ?? SERIES_DEFAULTS.timeFormat;
    const find = (name: string): number => {
      const i = this.header.indexOf(name);
      if (i < 0) {
        throw new SeriesFormatError('GATED_TS_MISSING_COLUMN', {
          file,
          row: header.line,
          column: name,
          expected: `a column named "${name}" in the header`,
          actual: `columns ${this.header.map((h) => `"${h}"`).join(', ')}`,
        });
      }
      return i;
    };
    const time = options.timeColumn ?? this.header[0];
    if (time === undefined) {
      throw new SeriesFormatError('GATED_TS_MISSING_COLUMN', { file, row: header.line, column: '*', expected: 'a time column in the header', actual: 'an empty header' });
    }
    if (typeof time === 'string') {
      this.timeIndex = [find(time)];
      this.timeName = time;
    } else {
      if (this.timeFormat !== 'iso') throw new ArgumentError('timeFormat', "'iso' with calendar time columns", this.timeFormat);
      const names = [time.year, time.month, time.day].filter((n): n is string => n !== undefined);
      this.timeIndex = names.map(find);
      this.timeName = names.join('/');
    }
    const values = options.valueColumns ?? this.header.filter((_, i) => !this.timeIndex.includes(i));
    if (values.length === 0 && options.valueColumns !== undefined) throw new ArgumentError('valueColumns', 'at least one value column', '[]');
    if (values.length === 0) {
      throw new SeriesFormatError('GATED_TS_MISSING_COLUMN', {
        file,
        row: header.line,
        column: '*',
        expected: 'a value column besides the time column in the header',
        actual: `columns ${this.header.map((h) => `"${h}"`).join(', ')}`,
      });
    }
    this.valueIndex = values.map(find);
    this.columns = [...values];
  }

  decode(record: CsvRecord): DecodedRow {
    const { fields, line } = record;
    if (fields.length !== this.header.length) {
      throw new SeriesFormatError('GATED_TS_RAGGED_ROW', {
        file: this.file,
        row: line,
        column: '*',
        expected: `${this.header.length} fields (as in the header)`,
        actual: `${fields.length} fields`,
      });
    }
    const timeText =
      this.timeIndex.length === 1
        ? fields[this.timeIndex[0]!]!.trim()
        : this.timeIndex.map((i, k) => (k === 0 ? fields[i]!.trim() : fields[i]!.trim().padStart(2, '0'))).join('-');
    const t = parseTimestamp(timeText, this.timeFormat);
    if (t === undefined || !Number.isFinite(t)) {
      throw new SeriesFormatError('GATED_TS_BAD_TIMESTAMP', {
        file: this.file,
        row: line,
        column: this.timeName,
        expected: this.timeFormat === 'iso' ? 'an ISO 8601 date or date-time' : `a ${this.timeFormat} number`,
        actual: JSON.stringify(timeText),
      });
    }
    const values = new Float64Array(this.valueIndex.length);
    for (let k = 0; k < this.valueIndex.length; k++) {
      const text = fields[this.valueIndex[k]!]!.trim();
      if (this.missing.has(text)) {
        values[k] = Number.NaN;
      } else if (NUMBER.test(text)) {
        values[k] = Number(text);
      } else {
        throw new SeriesFormatError('GATED_TS_NOT_NUMERIC', {
          file: this.file,
          row: line,
          column: at(this.columns, k, 'columns'),
          expected: `a number or a missing marker (${[...this.missing].map((m) => JSON.stringify(m)).join(', ')})`,
          actual: JSON.stringify(text),
        });
      }
    }
    return { t, values, line };
  }
}
