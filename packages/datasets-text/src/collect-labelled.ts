import { EmptyCorpusError, MissingColumnError } from './errors.js';
import type { TextRecord } from './text-record.js';

/**
 * Gathers labelled records (from {@link readDelimited}, {@link readJsonLines} or {@link readTextFolder}) into the
 * `texts` and `labels` arrays {@link prepareClassification} takes. A record without a label throws a
 * MissingColumnError naming its file and line; no record at all throws an EmptyCorpusError.
 *
 * @example
 * const { texts, labels } = await collectLabelled(readDelimited('reviews.csv', { labelColumn: 'sentiment' }));
 * const task = prepareClassification(texts, labels, { maxLen: 200 });
 */
export async function collectLabelled(records: AsyncIterable<TextRecord> | Iterable<TextRecord>): Promise<{ texts: string[]; labels: string[] }> {
  const texts: string[] = [];
  const labels: string[] = [];
  for await (const r of records) {
    if (r.label === undefined) throw new MissingColumnError({ file: r.file, line: r.line }, 'label', []);
    texts.push(r.text);
    labels.push(r.label);
  }
  if (texts.length === 0) throw new EmptyCorpusError({ file: 'records' }, 'at least one labelled record');
  return { texts, labels };
}
