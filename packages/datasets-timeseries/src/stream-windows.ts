import { basename } from './platform/node.js';
import { ArgumentError, assertInteger, type Batch, type Dataset, assertObject, assertString, checkOptions } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { at } from './at.js';
import { SeriesFormatError } from './errors.js';
import type { CsvRecord } from './csv-tokenizer.js';
import { readRecords, resolveFrequency } from './read-series.js';
import { type DecodedRow, RowDecoder } from './row-decoder.js';
import { type AssembledRow, SeriesAssembler } from './series-assembler.js';
import { SERIES_DEFAULTS, type SeriesOptions } from './series.js';
import { parseTimestamp } from './timestamp.js';
import { SeriesTransform, TRANSFORM_DEFAULTS, type TransformOptions } from './transform.js';
import { checkWindowSpec, type WindowSpec } from './windows.js';
import { SERIES_SPEC, STREAM_WINDOWS_SPEC, TRANSFORM_SPEC } from './option-specs.js';

/** Rows read to infer the frequency of a streamed file when it is not declared. */
const INFER_ROWS = 1000;

/**
 * The rows of a CSV/TSV file, decoded and assembled under the missing policy, in batches (one per chunk read) — the
 * file is read in chunks and never held whole. Reports the column names first (via `onColumns`).
 */
export function streamSeriesRows(path: string, options: SeriesOptions, onColumns?: (columns: readonly string[]) => void): AsyncGenerator<AssembledRow[]> {
  checkOptions('streamSeriesRows', options, SERIES_SPEC);
  assertString('streamSeriesRows path', path);
  return seriesRows(path, options, onColumns);
}

// The reader behind streamSeriesRows; streamWindows and fitTransformStream pass their wider (already checked) options.
async function* seriesRows(path: string, options: SeriesOptions, onColumns?: (columns: readonly string[]) => void): AsyncGenerator<AssembledRow[]> {
  const file = basename(path);
  let frequency = options.frequency === undefined || options.frequency === 'auto' ? undefined : resolveFrequency(options, [], file);
  if (frequency === undefined) {
    const head: DecodedRow[] = [];
    let decoder: RowDecoder | undefined;
    outer: for await (const records of readRecords(path, options)) {
      for (const record of records) {
        if (decoder === undefined) decoder = new RowDecoder(record, options, file);
        else head.push(decoder.decode(record));
        if (head.length >= INFER_ROWS) break outer;
      }
    }
    if (decoder === undefined) throw new SeriesFormatError('GATED_TS_EMPTY', { file, row: 1, column: '*', expected: 'a header line', actual: 'an empty file' });
    frequency = resolveFrequency(options, head, file, decoder.timeName);
  }
  // Both exist from the header line on.
  let reader: { readonly decoder: RowDecoder; readonly assembler: SeriesAssembler } | undefined;
  let headerLine = 1;
  const ready: AssembledRow[] = [];
  const handle = (record: CsvRecord): void => {
    if (reader === undefined) {
      const decoder = new RowDecoder(record, options, file);
      headerLine = record.line;
      onColumns?.(decoder.columns);
      const assembler = new SeriesAssembler(decoder.columns, frequency, options.missing ?? SERIES_DEFAULTS.missing, file, (row) => ready.push(row), decoder.timeName);
      reader = { decoder, assembler };
    } else {
      reader.assembler.push(reader.decoder.decode(record));
    }
  };
  let rows = 0;
  for await (const records of readRecords(path, options)) {
    for (const record of records) handle(record);
    rows += ready.length;
    if (ready.length > 0) yield ready.splice(0);
  }
  if (reader === undefined) throw new SeriesFormatError('GATED_TS_EMPTY', { file, row: 1, column: '*', expected: 'a header line', actual: 'an empty file' });
  reader.assembler.end();
  rows += ready.length;
  if (ready.length > 0) yield ready.splice(0);
  if (rows === 0) throw new SeriesFormatError('GATED_TS_EMPTY', { file, row: headerLine + 1, column: '*', expected: 'at least one complete data row', actual: 'none' });
}

function toTime(name: string, time: string | number): number;
function toTime(name: string, time: string | number | undefined): number | undefined;
function toTime(name: string, time: string | number | undefined): number | undefined {
  if (time === undefined) return undefined;
  const t = typeof time === 'number' ? time : parseTimestamp(time);
  if (t === undefined) throw new ArgumentError(name, 'an ISO date or a timestamp in ms', JSON.stringify(time));
  return t;
}

/** Options of {@link fitTransformStream}. */
export interface FitTransformStreamOptions extends SeriesOptions, TransformOptions {
  /** Fit on rows strictly before this time — the start of validation. */
  readonly until: string | number;
}

/**
 * Fits a {@link SeriesTransform} in one streaming pass over the rows before `until` (the training range), with the
 * same statistics as {@link fitTransform}: population mean/std (Welford) or min/max after log and differencing.
 */
export async function fitTransformStream(path: string, options: FitTransformStreamOptions): Promise<SeriesTransform> {
  assertObject('fitTransformStream options', options, 'an options object { until, … }');
  checkOptions('fitTransformStream', options, { ...SERIES_SPEC, ...TRANSFORM_SPEC, until: 'any' });
  assertString('fitTransformStream path', path);
  // Without `until` every row would be "before validation": the statistics would leak the held-out range.
  const until = toTime('until', options.until);
  if (until === undefined) throw new ArgumentError('until', 'the start of validation (an ISO date or a timestamp in ms); rows before it are fitted', 'missing');
  const scale = options.scale ?? TRANSFORM_DEFAULTS.scale;
  const lag = options.difference ?? TRANSFORM_DEFAULTS.difference;
  assertInteger('difference', lag, 0);
  if (scale !== 'standard' && scale !== 'minmax' && scale !== 'none') throw new ArgumentError('scale', "'standard', 'minmax' or 'none'", String(scale));
  let columns: readonly string[] = [];
  let log: boolean[] = [];
  let count = 0;
  let mean = new Float64Array(0);
  let m2 = new Float64Array(0);
  let min = new Float64Array(0);
  let max = new Float64Array(0);
  const history: Float64Array[] = [];
  let index = 0;
  const accumulate = (row: AssembledRow): boolean => {
    if (row.t >= until) return false;
    const v = row.values.map((x, c) => {
      if (log[c] && !(x > 0)) throw new SeriesFormatError('GATED_TS_NON_POSITIVE', { file: basename(path), row: index, column: at(columns, c, 'columns'), expected: 'a value > 0 for the log transform (row = series index)', actual: String(x) });
      return log[c] ? Math.log(x) : x;
    });
    history.push(v);
    if (history.length > lag + 1) history.shift();
    index++;
    if (history.length <= lag) return true;
    count++;
    for (let c = 0; c < columns.length; c++) {
      const d = lag > 0 ? v[c]! - history[0]![c]! : v[c]!;
      // Welford: mean_n = mean_{n−1} + (x − mean_{n−1})/n, M2_n = M2_{n−1} + (x − mean_{n−1})(x − mean_n).
      const delta = d - mean[c]!;
      mean[c] = mean[c]! + delta / count;
      m2[c] = m2[c]! + delta * (d - mean[c]!);
      if (d < min[c]!) min[c] = d;
      if (d > max[c]!) max[c] = d;
    }
    return true;
  };
  const onColumns = (c: readonly string[]): void => {
    columns = c;
    const logOpt = options.log ?? TRANSFORM_DEFAULTS.log;
    for (const name of Array.isArray(logOpt) ? logOpt : []) if (!c.includes(name)) throw new ArgumentError('log', `columns among ${c.join(', ')}`, name);
    log = c.map((name) => (Array.isArray(logOpt) ? logOpt.includes(name) : logOpt === true));
    mean = new Float64Array(c.length);
    m2 = new Float64Array(c.length);
    min = new Float64Array(c.length).fill(Number.POSITIVE_INFINITY);
    max = new Float64Array(c.length).fill(Number.NEGATIVE_INFINITY);
  };
  reading: for await (const rows of seriesRows(path, options, onColumns)) {
    for (const row of rows) if (!accumulate(row)) break reading;
  }
  if (count === 0) throw new ArgumentError('until', `a time after at least ${lag + 1} rows`, String(options.until));
  const center = new Float64Array(columns.length);
  const scaleBy = new Float64Array(columns.length).fill(1);
  for (const c of columns.keys()) {
    if (scale === 'standard') {
      const std = Math.sqrt(at(m2, c, 'm2') / count);
      center[c] = at(mean, c, 'mean');
      scaleBy[c] = std > 0 ? std : 1;
    } else if (scale === 'minmax') {
      const lo = at(min, c, 'min');
      const hi = at(max, c, 'max');
      center[c] = lo;
      scaleBy[c] = hi > lo ? hi - lo : 1;
    }
  }
  return new SeriesTransform({ columns, scale, log, lag, center, scaleBy, fitRange: { start: 0, end: index } });
}

/** Options of {@link streamWindows}. */
export interface StreamWindowsOptions extends SeriesOptions, WindowSpec {
  /** Columns the model sees (among the loaded `valueColumns`). Default: all loaded columns. */
  readonly inputColumns?: readonly string[];
  /** Columns to forecast. Default: the first input column. */
  readonly targetColumns?: readonly string[];
  /** A fitted transform (e.g. from {@link fitTransformStream}); default: values as read. */
  readonly transform?: SeriesTransform;
  /** Keep windows whose first target is at or after this time. */
  readonly targetsFrom?: string | number;
  /** Keep windows whose last target is before this time. */
  readonly targetsBefore?: string | number;
  /** Windows per batch. Default 32. */
  readonly batchSize?: number;
}

/**
 * A {@link Dataset} of forecasting windows read straight from a CSV/TSV file: one pass per epoch, holding only the
 * last (inputLength − 1)·r + horizon·r + 1 rows and the current batch — for series larger than memory. Windows,
 * their order and their values equal those of {@link windowAnchors}/{@link gatherWindows} over the same rows
 * (targets restricted to [targetsFrom, targetsBefore), anchors `stride` apart counted from the first valid window,
 * none spanning a break). `x` [B, inputLength, inputs], `y` [B, horizon · targets]; no shuffling.
 */
export function streamWindows(path: string, options: StreamWindowsOptions): Dataset<Batch> {
  assertObject('streamWindows options', options, 'an options object { inputLength, horizon, … }');
  checkOptions('streamWindows', options, STREAM_WINDOWS_SPEC);
  assertString('streamWindows path', path);
  const { inputLength: L, horizon: H, stride, samplingRate: r } = checkWindowSpec(options);
  const batchSize = options.batchSize ?? 32;
  assertInteger('batchSize', batchSize, 1);
  const from = toTime('targetsFrom', options.targetsFrom) ?? Number.NEGATIVE_INFINITY;
  const before = toTime('targetsBefore', options.targetsBefore) ?? Number.POSITIVE_INFINITY;
  const transform = options.transform;
  const lag = transform?.lag ?? 0;
  const span = (L - 1) * r + H * r + 1;
  return {
    // Every pass reads the file in order; accepted so a trainer can resume any epoch exactly.
    setEpoch: (epoch: number) => assertInteger('epoch', epoch, 0),
    async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
      let width = 0;
      let inputIndex: number[] = [];
      let targetIndex: number[] = [];
      const onColumns = (columns: readonly string[]): void => {
        width = columns.length;
        if (transform && transform.columns.join('\u0000') !== columns.join('\u0000')) {
          throw new ArgumentError('transform', `a transform fit on columns ${columns.join(', ')}`, `columns ${transform.columns.join(', ')}`);
        }
        const inputs = options.inputColumns ?? columns;
        let targets = options.targetColumns;
        if (targets === undefined) {
          const first = inputs[0];
          if (first === undefined) throw new ArgumentError('inputColumns', 'at least one column when targetColumns is not given', 'none');
          targets = [first];
        }
        inputIndex = inputs.map((c) => {
          if (!columns.includes(c)) throw new ArgumentError('inputColumns', `columns among ${columns.join(', ')}`, c);
          return columns.indexOf(c);
        });
        targetIndex = targets.map((c) => {
          if (!inputs.includes(c)) throw new ArgumentError('targetColumns', `columns among ${inputs.join(', ')}`, c);
          return columns.indexOf(c);
        });
      };
      // Ring buffers indexed by row number modulo `keep`: the last rows' scaled values, raw values and times.
      const keep = Math.max(span, lag + 1);
      const rows: Float32Array[] = [];
      const raw: Float64Array[] = [];
      const times = new Float64Array(keep);
      let index = 0;
      let lastBreak = 0;
      let firstAnchor: number | undefined;
      let x = new Float32Array(0);
      let y = new Float32Array(0);
      let filled = 0;
      reading: for await (const batch of seriesRows(path, options, onColumns)) {
        const F = inputIndex.length;
        const T = targetIndex.length;
        if (x.length === 0) {
          x = new Float32Array(batchSize * L * F);
          y = new Float32Array(batchSize * H * T);
        }
        for (const row of batch) {
          // No later window can have its last target before `before`.
          if (row.t >= before) break reading;
          if (row.breakBefore) lastBreak = index;
          const slot = index % keep;
          raw[slot] = row.values;
          times[slot] = row.t;
          const scaled = rows[slot] ?? new Float32Array(width);
          rows[slot] = scaled;
          if (transform === undefined) scaled.set(row.values);
          else if (index >= lag) transform.transformRow(row.values, lag > 0 ? raw[(index - lag) % keep] : undefined, scaled, 0);
          // The window whose last target is this row: anchor a = index − H·r.
          const a = index - H * r;
          const firstInput = a - (L - 1) * r;
          index++;
          if (firstInput < lag || firstInput < lastBreak) continue;
          if (times[(a + r) % keep]! < from) continue;
          firstAnchor ??= a;
          if ((a - firstAnchor) % stride !== 0) continue;
          for (let t = 0; t < L; t++) {
            const src = rows[(firstInput + t * r) % keep]!;
            for (let f = 0; f < F; f++) x[(filled * L + t) * F + f] = src[inputIndex[f]!]!;
          }
          for (let k = 0; k < H; k++) {
            const src = rows[(a + (k + 1) * r) % keep]!;
            for (let j = 0; j < T; j++) y[(filled * H + k) * T + j] = src[targetIndex[j]!]!;
          }
          filled++;
          if (filled === batchSize) {
            yield { x: tf.tensor3d(x, [batchSize, L, F], 'float32'), y: tf.tensor2d(y, [batchSize, H * T], 'float32') };
            x = new Float32Array(batchSize * L * F);
            y = new Float32Array(batchSize * H * T);
            filled = 0;
          }
        }
      }
      if (filled > 0) {
        const F = inputIndex.length;
        const T = targetIndex.length;
        yield { x: tf.tensor3d(x.slice(0, filled * L * F), [filled, L, F], 'float32'), y: tf.tensor2d(y.slice(0, filled * H * T), [filled, H * T], 'float32') };
      }
    },
  };
}
