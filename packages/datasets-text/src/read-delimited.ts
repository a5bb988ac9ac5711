import { extname } from './platform/node.js';
import { ArgumentError, assertString, checkOptions } from '@gated/tensor';
import { EmptyCorpusError, MissingColumnError, TextRecordError } from './errors.js';
import { readTextFile, type ReadTextOptions } from './read-text-file.js';
import type { TextRecord } from './text-record.js';
import { READ_DELIMITED_SPEC } from './option-specs.js';

/** Options of {@link readDelimited}. */
export interface ReadDelimitedOptions extends ReadTextOptions {
  /** Field separator. Default `'\t'` for `.tsv`/`.tab` files, `','` otherwise. */
  readonly delimiter?: string;
  /** The text column: a header name, or a 0-based index. Default 'text'. */
  readonly textColumn?: string | number;
  /** The label column (name or index), or null for unlabelled text. Default 'label'. */
  readonly labelColumn?: string | number | null;
  /** The first row names the columns. Default true. */
  readonly header?: boolean;
}

/** One row of a delimited file with the line it starts on. */
interface Row {
  readonly fields: string[];
  readonly line: number;
}

// RFC 4180: fields may be quoted with ", a doubled "" is a quote, quoted fields may hold delimiters and newlines.
async function* parseRows(path: string, delimiter: string, options: ReadTextOptions): AsyncGenerator<Row> {
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  let pendingQuote = false; // a " inside a quoted field at a chunk end: either "" or the closing quote
  const d = delimiter.charCodeAt(0);
  for await (const chunk of readTextFile(path, options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize })) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (pendingQuote) {
        pendingQuote = false;
        if (c === 34) {
          field += '"';
          start = i + 1;
          continue;
        }
        quoted = false;
        afterQuote = true;
      }
      if (quoted) {
        if (c === 34) {
          field += chunk.slice(start, i);
          if (i + 1 < chunk.length) {
            if (chunk.charCodeAt(i + 1) === 34) {
              field += '"';
              i++;
            } else {
              quoted = false;
              afterQuote = true;
            }
          } else pendingQuote = true;
          start = i + 1;
        } else if (c === 10) line++;
        continue;
      }
      if (c === d || c === 10) {
        if (!afterQuote) field += chunk.slice(start, i);
        fields.push(c === 10 && field.endsWith('\r') ? field.slice(0, -1) : field);
        field = '';
        afterQuote = false;
        start = i + 1;
        if (c === 10) {
          if (!(fields.length === 1 && fields[0] === '')) yield { fields, line: rowLine };
          fields = [];
          line++;
          rowLine = line;
        }
      } else if (c === 34 && field === '' && i === start && !afterQuote) {
        quoted = true;
        start = i + 1;
      } else if (afterQuote && c !== 13) {
        throw new TextRecordError({ file: path, line }, `the delimiter or end of line after a closing quote`, JSON.stringify(chunk[i]));
      }
    }
    if (!quoted && !afterQuote) field += chunk.slice(start);
    else if (quoted && !pendingQuote) field += chunk.slice(start);
  }
  if (quoted && !pendingQuote) throw new TextRecordError({ file: path, line: rowLine }, 'a closing quote', 'the end of the file');
  if (field !== '' || fields.length > 0) {
    fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
    yield { fields, line: rowLine };
  }
}

function columnIndex(path: string, column: string | number, names: readonly string[] | null, line: number): number {
  if (typeof column === 'number') {
    const width = names?.length;
    if (!Number.isInteger(column) || column < 0 || (width !== undefined && column >= width)) {
      throw new MissingColumnError({ file: path, line }, `#${column}`, names ?? []);
    }
    return column;
  }
  if (names === null) throw new ArgumentError('column', 'a 0-based index when header is false', JSON.stringify(column));
  const i = names.indexOf(column);
  if (i < 0) throw new MissingColumnError({ file: path, line }, column, names);
  return i;
}

/**
 * Streams the rows of a CSV or TSV file (RFC 4180 quoting) as {@link TextRecord}s, one row in memory at a time.
 * A missing column throws a MissingColumnError listing the columns found; a row with another number of fields
 * than the header throws a TextRecordError naming the line. Blank lines are skipped.
 *
 * @example
 * for await (const { text, label } of readDelimited('reviews.csv', { textColumn: 'review', labelColumn: 'sentiment' })) …
 */
export async function* readDelimited(path: string, options: ReadDelimitedOptions = {}): AsyncGenerator<TextRecord> {
  checkOptions('readDelimited', options, READ_DELIMITED_SPEC);
  assertString('readDelimited path', path);
  const ext = extname(path).toLowerCase();
  const delimiter = options.delimiter ?? (ext === '.tsv' || ext === '.tab' ? '\t' : ',');
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
    throw new ArgumentError('delimiter', 'one character other than " and newline', JSON.stringify(delimiter));
  }
  const header = options.header ?? true;
  const textColumn = options.textColumn ?? 'text';
  const labelColumn = options.labelColumn === undefined ? 'label' : options.labelColumn;
  let names: string[] | null = null;
  let textAt = -1;
  let labelAt = -1;
  let width = -1;
  let rows = 0;
  for await (const row of parseRows(path, delimiter, options)) {
    if (width < 0) {
      width = row.fields.length;
      if (header) names = row.fields.map((n, i) => (i === 0 ? n.replace(/^\uFEFF/, '') : n).trim());
      textAt = columnIndex(path, textColumn, names, row.line);
      labelAt = labelColumn === null ? -1 : columnIndex(path, labelColumn, names, row.line);
      if (header) continue;
      if (Math.max(textAt, labelAt) >= width) throw new MissingColumnError({ file: path, line: row.line }, `#${Math.max(textAt, labelAt)}`, []);
    }
    if (row.fields.length !== width) {
      throw new TextRecordError({ file: path, line: row.line }, `${width} fields like the first row`, `${row.fields.length} fields`);
    }
    const text = row.fields[textAt]!;
    rows++;
    yield labelAt < 0 ? { text, file: path, line: row.line } : { text, label: row.fields[labelAt]!, file: path, line: row.line };
  }
  if (rows === 0) throw new EmptyCorpusError({ file: path }, 'at least one data row');
}
