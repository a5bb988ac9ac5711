import { EmptyCorpusError, MissingColumnError, TextRecordError } from './errors.js';
import { readTextLines, type ReadTextOptions } from './read-text-file.js';
import type { TextRecord } from './text-record.js';
import { checkOptions } from '@gated/tensor';
import { READ_JSON_LINES_SPEC } from './option-specs.js';

/** Options of {@link readJsonLines}. */
export interface ReadJsonLinesOptions extends ReadTextOptions {
  /** The field holding the text. Default 'text'. */
  readonly textField?: string;
  /** The field holding the label (a string, number or boolean), or null for unlabelled text. Default 'label'. */
  readonly labelField?: string | null;
}

/**
 * Streams a JSON-lines file (one JSON object per line) as {@link TextRecord}s. Blank lines are skipped. A line
 * that is not a JSON object, or lacks the text/label field, throws an error naming the file and line.
 *
 * @example
 * for await (const r of readJsonLines('tweets.jsonl', { textField: 'body', labelField: 'sentiment' })) …
 */
export async function* readJsonLines(path: string, options: ReadJsonLinesOptions = {}): AsyncGenerator<TextRecord> {
  checkOptions('readJsonLines', options, READ_JSON_LINES_SPEC);
  const textField = options.textField ?? 'text';
  const labelField = options.labelField === undefined ? 'label' : options.labelField;
  let records = 0;
  for await (const { text, line } of readTextLines(path, options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize })) {
    if (text.trim() === '') continue;
    records++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new TextRecordError({ file: path, line }, 'a JSON object', `invalid JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TextRecordError({ file: path, line }, 'a JSON object', Array.isArray(value) ? 'an array' : JSON.stringify(value));
    }
    const record = value as Record<string, unknown>;
    const body = record[textField];
    if (!(textField in record)) throw new MissingColumnError({ file: path, line }, textField, Object.keys(record));
    if (typeof body !== 'string') throw new TextRecordError({ file: path, line }, `a string "${textField}"`, JSON.stringify(body));
    if (labelField === null) {
      yield { text: body, file: path, line };
      continue;
    }
    if (!(labelField in record)) throw new MissingColumnError({ file: path, line }, labelField, Object.keys(record));
    const label = record[labelField];
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
      throw new TextRecordError({ file: path, line }, `a string, number or boolean "${labelField}"`, JSON.stringify(label));
    }
    yield { text: body, label: String(label), file: path, line };
  }
  if (records === 0) throw new EmptyCorpusError({ file: path }, 'at least one JSON object');
}
