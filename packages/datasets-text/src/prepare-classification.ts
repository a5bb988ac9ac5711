import { ArgumentError, assertInteger, assertObject, checkOptions, describeValue } from '@gated/tensor';
import { type CharTokenizerOptions, CharTokenizer } from './char-tokenizer.js';
import { ClassificationDataset } from './classification-dataset.js';
import type { SplitFractions } from './contiguous-split.js';
import { EmptyCorpusError } from './errors.js';
import { LabelVocabulary } from './label-vocabulary.js';
import { padSequences, type Truncation } from './pad-sequences.js';
import { DEFAULT_CLASSIFICATION_SPLIT, type SplitIndices, stratifiedSplit } from './stratified-split.js';
import type { Tokenizer } from './tokenizer.js';
import { WordTokenizer, type WordTokenizerOptions } from './word-tokenizer.js';
import { PREPARE_CLASSIFICATION_SPEC, SPLIT_FRACTIONS_SPEC } from './option-specs.js';
import { at } from './internal/at.js';

/** Options of {@link prepareClassification}. */
export interface PrepareClassificationOptions {
  /** Tokens kept per text (see `truncation`). */
  readonly maxLen: number;
  /** Seed of the stratified split and the per-epoch shuffle of the training set. Default 0. */
  readonly seed?: number;
  /** Default 32. */
  readonly batchSize?: number;
  /** Batch size of validation and test. Default `batchSize`. */
  readonly evalBatchSize?: number;
  /** Default 80/10/10. */
  readonly split?: SplitFractions;
  /** `'word'`, `'char'`, or an already fitted tokenizer. A new tokenizer is fitted on the training split only. Default 'word'. */
  readonly tokenizer?: 'word' | 'char' | Tokenizer;
  /** Options of the fitted tokenizer. Default for words: `{ minFrequency: 2, maxVocabSize: 20000 }`. */
  readonly tokenizerOptions?: WordTokenizerOptions | CharTokenizerOptions;
  /** Which tokens a long text keeps. Default 'post' (its beginning). */
  readonly truncation?: Truncation;
  /** Class order (ids); default sorted labels. */
  readonly classes?: readonly string[];
  /** Batch width, see {@link ClassificationDataset}. Default 'longest'. */
  readonly padding?: 'longest' | 'max';
  /** A text that yields no tokens: `'error'` (default) or `'drop'` it (counted in `dropped`). */
  readonly emptyText?: 'error' | 'drop';
}

/** Defaults of {@link PrepareClassificationOptions}. */
export const PREPARE_CLASSIFICATION_DEFAULTS = {
  seed: 0,
  batchSize: 32,
  split: DEFAULT_CLASSIFICATION_SPLIT,
  tokenizer: 'word',
  truncation: 'post',
  padding: 'longest',
  emptyText: 'error',
} as const;

const WORD_DEFAULTS: WordTokenizerOptions = { minFrequency: 2, maxVocabSize: 20000 };

/** Train/validation/test datasets of a text classification task, with what a model needs to know. */
export interface ClassificationSplits {
  /** Shuffled every epoch (seeded). */
  readonly train: ClassificationDataset;
  readonly validation: ClassificationDataset;
  readonly test: ClassificationDataset;
  readonly tokenizer: Tokenizer;
  /** Embedding table size. */
  readonly vocabSize: number;
  readonly labels: LabelVocabulary;
  /** Class names by id. */
  readonly classNames: readonly string[];
  /** Examples per class in each split, by class id. */
  readonly counts: { readonly train: number[]; readonly validation: number[]; readonly test: number[] };
  /** Index of each split's examples into the (kept) input texts. */
  readonly indices: SplitIndices;
  /** Texts longer than `maxLen` tokens (truncated). */
  readonly truncated: number;
  /** Input positions of texts dropped for having no tokens (`emptyText: 'drop'`). */
  readonly dropped: readonly number[];
}

/**
 * Turns texts and labels into a classification task: a seeded stratified split, a tokenizer fitted on the
 * training texts only, and padded id sequences with `lengths` and label ids for each split.
 *
 * @example
 * const task = prepareClassification(texts, labels, { maxLen: 200, seed: 1, classes: ['neg', 'pos'] });
 * for await (const { x, y, lengths } of task.train) …
 */
export function prepareClassification(texts: readonly string[], labels: readonly string[], options: PrepareClassificationOptions): ClassificationSplits {
  assertObject('prepareClassification options', options, 'an options object { maxLen, … }');
  checkOptions('prepareClassification', options, PREPARE_CLASSIFICATION_SPEC);
  if (options.split !== undefined) checkOptions('prepareClassification split', options.split, SPLIT_FRACTIONS_SPEC);
  if (!Array.isArray(texts)) throw new ArgumentError('texts', 'an array of strings', describeValue(texts));
  if (!Array.isArray(labels)) throw new ArgumentError('labels', 'an array of label strings', describeValue(labels));
  const opts = { ...PREPARE_CLASSIFICATION_DEFAULTS, ...options };
  assertInteger('maxLen', opts.maxLen, 1);
  if (texts.length !== labels.length) throw new ArgumentError('labels', `${texts.length} labels (one per text)`, `${labels.length}`);
  if (texts.length === 0) throw new EmptyCorpusError({ file: 'texts' }, 'at least one labelled text');
  const labelVocab = LabelVocabulary.fit(labels, opts.classes);
  const labelIds = labelVocab.encode(labels);
  const indices = stratifiedSplit(labelIds, opts.split, opts.seed);
  if (indices.train.length === 0) throw new EmptyCorpusError({ file: 'training split' }, 'at least one training text');

  const trainTexts = indices.train.map((i) => at(texts, i, 'texts'));
  let tokenizer: Tokenizer;
  if (opts.tokenizer === 'word') tokenizer = WordTokenizer.fit(trainTexts, { ...WORD_DEFAULTS, ...opts.tokenizerOptions });
  else if (opts.tokenizer === 'char') tokenizer = CharTokenizer.fit(trainTexts, { ...(opts.tokenizerOptions as CharTokenizerOptions) });
  else tokenizer = opts.tokenizer;

  const dropped: number[] = [];
  let truncated = 0;
  const build = (which: number[], split: 'train' | 'validation' | 'test', shuffle: boolean): ClassificationDataset => {
    const seqs: Int32Array[] = [];
    const kept: number[] = [];
    for (const i of which) {
      const text = at(texts, i, 'texts');
      const ids = tokenizer.encode(text, { source: `texts[${i}]` });
      if (ids.length === 0) {
        if (opts.emptyText === 'drop') {
          dropped.push(i);
          continue;
        }
        throw new ArgumentError(`texts[${i}]`, 'a text with at least one token (or emptyText: "drop")', JSON.stringify(text.slice(0, 40)));
      }
      seqs.push(ids);
      kept.push(i);
    }
    which.splice(0, which.length, ...kept);
    const padded = padSequences(seqs, { maxLen: opts.maxLen, truncation: opts.truncation, padId: Math.max(tokenizer.vocab.padId, 0) });
    truncated += padded.truncated;
    const batchSize = split === 'train' ? opts.batchSize : (opts.evalBatchSize ?? opts.batchSize);
    return new ClassificationDataset(
      { ...padded, labels: Int32Array.from(kept, (i) => at(labelIds, i, 'labels')) },
      { batchSize, shuffle, seed: opts.seed, padding: opts.padding },
    );
  };
  const train = build(indices.train, 'train', true);
  const validation = build(indices.validation, 'validation', false);
  const test = build(indices.test, 'test', false);
  const count = (d: ClassificationDataset): number[] => {
    const c = new Array<number>(labelVocab.size).fill(0);
    for (const l of d.labels) c[l] = (c[l] ?? 0) + 1;
    return c;
  };
  return {
    train,
    validation,
    test,
    tokenizer,
    vocabSize: tokenizer.vocabSize,
    labels: labelVocab,
    classNames: labelVocab.classNames,
    counts: { train: count(train), validation: count(validation), test: count(test) },
    indices,
    truncated,
    dropped: dropped.sort((a, b) => a - b),
  };
}
