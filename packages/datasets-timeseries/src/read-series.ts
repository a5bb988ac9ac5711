import { basename, createReadStream } from './platform/node.js';
import { type CsvRecord, CsvTokenizer, detectDelimiter } from './csv-tokenizer.js';
import { SeriesFormatError } from './errors.js';
import { type Frequency, frequencyOf, inferFrequency } from './frequency.js';
import { formatTimestamp } from './timestamp.js';
import { type DecodedRow, RowDecoder } from './row-decoder.js';
import { SeriesAssembler } from './series-assembler.js';
import { SERIES_DEFAULTS, type SeriesOptions, type TimeSeries } from './series.js';
import { ArgumentError, assertString, checkOptions, describeValue } from '@gated/tensor';
import { SERIES_SPEC } from './option-specs.js';

/**
 * Parses CSV/TSV text with a header into a {@link TimeSeries}. `file` names the source in error messages.
 *
 * @example
 * const s = parseSeries('date,y\n2020-01-01,1\n2020-01-02,2\n', { missing: 'ffill' });
 * s.frequency.name; // 'day'
 */
export function parseSeries(text: string, options: SeriesOptions = {}, file = '<text>'): TimeSeries {
  checkOptions('parseSeries', options, SERIES_SPEC);
  if (typeof text !== 'string') throw new ArgumentError('parseSeries text', 'CSV/TSV text (a string)', describeValue(text));
  const newline = text.indexOf('\n');
  const tokenizer = new CsvTokenizer(resolveDelimiter(options, file, newline < 0 ? text : text.slice(0, newline)));
  return buildSeries([...tokenizer.push(text), ...tokenizer.end()], options, file);
}

/**
 * Reads a CSV/TSV file with a header into a {@link TimeSeries} (see {@link parseSeries}). The file is read in chunks
 * and each record is decoded to numbers as it arrives, so only the numeric series is held.
 */
export async function readSeries(path: string, options: SeriesOptions = {}): Promise<TimeSeries> {
  checkOptions('readSeries', options, SERIES_SPEC);
  assertString('readSeries path', path);
  const file = basename(path);
  let header: CsvRecord | undefined;
  let decoder: RowDecoder | undefined;
  const rows: DecodedRow[] = [];
  for await (const batch of readRecords(path, options)) {
    for (const record of batch) {
      if (decoder === undefined) {
        header = record;
        decoder = new RowDecoder(record, options, file);
      } else {
        rows.push(decoder.decode(record));
      }
    }
  }
  return assembleSeries(header, decoder, rows, options, file);
}

function buildSeries(records: readonly CsvRecord[], options: SeriesOptions, file: string): TimeSeries {
  const [header, ...data] = records;
  const decoder = header === undefined ? undefined : new RowDecoder(header, options, file);
  return assembleSeries(header, decoder, decoder === undefined ? [] : data.map((r) => decoder.decode(r)), options, file);
}

function assembleSeries(header: CsvRecord | undefined, decoder: RowDecoder | undefined, rows: readonly DecodedRow[], options: SeriesOptions, file: string): TimeSeries {
  if (header === undefined || decoder === undefined) throw emptyError(file, 1, 'a header line', 'an empty file');
  if (rows.length === 0) throw emptyError(file, header.line + 1, 'at least one data row after the header', 'no data rows');
  const frequency = resolveFrequency(options, rows, file, decoder.timeName);
  const width = decoder.columns.length;
  const timestamps: number[] = [];
  let values = new Float64Array(Math.max(16, rows.length) * width);
  const breaks: number[] = [];
  const imputed: number[] = [];
  const assembler = new SeriesAssembler(decoder.columns, frequency, options.missing ?? SERIES_DEFAULTS.missing, file, (row) => {
    const i = timestamps.length;
    if ((i + 1) * width > values.length) {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    values.set(row.values, i * width);
    timestamps.push(row.t);
    if (row.breakBefore) breaks.push(i);
    if (row.imputed) imputed.push(i);
  }, decoder.timeName);
  for (const row of rows) assembler.push(row);
  assembler.end();
  if (timestamps.length === 0) throw emptyError(file, header.line + 1, 'at least one complete row', 'every row dropped for missing values');
  return {
    source: file,
    columns: decoder.columns,
    length: timestamps.length,
    timestamps: Float64Array.from(timestamps),
    values: values.slice(0, timestamps.length * width),
    frequency,
    breaks,
    imputed,
  };
}

/** The declared frequency, or the one inferred from the rows. */
export function resolveFrequency(options: SeriesOptions, rows: readonly DecodedRow[], file: string, timeName?: string): Frequency {
  const name = options.frequency ?? SERIES_DEFAULTS.frequency;
  if (name !== 'auto') return frequencyOf(name);
  if (rows.length < 2) {
    throw new SeriesFormatError('GATED_TS_IRREGULAR', {
      file,
      row: rows[0]?.line ?? 2,
      column: typeof options.timeColumn === 'string' ? options.timeColumn : 'time',
      expected: "at least 2 rows to infer the frequency (or a declared frequency such as 'day')",
      actual: `${rows.length} row`,
    });
  }
  // Order problems are the file's, found here first because inference needs increasing timestamps.
  const column = timeName ?? (typeof options.timeColumn === 'string' ? options.timeColumn : 'time');
  for (const [i, row] of rows.entries()) {
    const prev = rows[i - 1];
    if (prev === undefined || row.t > prev.t) continue;
    const duplicate = row.t === prev.t;
    throw new SeriesFormatError(duplicate ? 'GATED_TS_DUPLICATE_TIMESTAMP' : 'GATED_TS_UNSORTED', {
      file,
      row: row.line,
      column,
      expected: `${duplicate ? 'a timestamp' : 'timestamps in increasing order'} after ${formatTimestamp(prev.t)} (row ${prev.line})`,
      actual: duplicate ? `${formatTimestamp(row.t)} again` : formatTimestamp(row.t),
    });
  }
  return inferFrequency(rows.map((r) => r.t));
}

/** The delimiter to split with: the declared one, or the one {@link detectDelimiter} picks from the header. */
export function resolveDelimiter(options: SeriesOptions, file: string, header: string): string {
  const d = options.delimiter ?? SERIES_DEFAULTS.delimiter;
  return d === 'auto' ? detectDelimiter(file, header) : d;
}

function emptyError(file: string, row: number, expected: string, actual: string): SeriesFormatError {
  return new SeriesFormatError('GATED_TS_EMPTY', { file, row, column: '*', expected, actual });
}

/** Streams a file's CSV records in batches (one per chunk read), never holding the whole file. */
export async function* readRecords(path: string, options: SeriesOptions, highWaterMark = 1 << 16): AsyncGenerator<CsvRecord[]> {
  let tokenizer: CsvTokenizer | undefined;
  let head = '';
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      if (tokenizer === undefined) {
        head += chunk;
        const newline = head.indexOf('\n');
        if (newline < 0) continue;
        tokenizer = new CsvTokenizer(resolveDelimiter(options, path, head.slice(0, newline)));
        yield tokenizer.push(head);
      } else {
        yield tokenizer.push(chunk);
      }
    }
  } finally {
    stream.destroy();
  }
  if (tokenizer === undefined) {
    // The whole file is one line (or empty): it never reached the tokenizer above.
    tokenizer = new CsvTokenizer(resolveDelimiter(options, path, head));
    yield tokenizer.push(head);
  }
  yield tokenizer.end();
}
