import { assertInteger, ArgumentError, assertObject, checkOptions, describeValue, LanguageModelDataset } from '@gated/tensor';
import { type CharTokenizerOptions, CharTokenizer } from './char-tokenizer.js';
import { contiguousSplit, DEFAULT_LM_SPLIT, type SplitFractions, type SplitRanges } from './contiguous-split.js';
import { RandomWindowDataset } from './random-window-dataset.js';
import type { Tokenizer } from './tokenizer.js';
import { WordTokenizer, type WordTokenizerOptions } from './word-tokenizer.js';
import { PREPARE_LM_SPEC, SPLIT_FRACTIONS_SPEC } from './option-specs.js';

/** Options of {@link prepareLanguageModel}. */
export interface PrepareLanguageModelOptions {
  /** Time steps per batch (BPTT length). */
  readonly seqLen: number;
  /** Rows per training batch. */
  readonly batchSize: number;
  /** Rows per validation/test batch. Default 10 (PyTorch word_language_model's `eval_batch_size`). */
  readonly evalBatchSize?: number;
  /** Contiguous fractions of the text, in order. Default 90/5/5. */
  readonly split?: SplitFractions;
  /** `'char'`, `'word'`, or an already fitted tokenizer. A new one is fitted on the training range only. Default 'char'. */
  readonly tokenizer?: 'char' | 'word' | Tokenizer;
  readonly tokenizerOptions?: CharTokenizerOptions | WordTokenizerOptions;
  /**
   * How training batches are drawn: `'contiguous'` (stateful rows, {@link LanguageModelDataset}) or `'random'`
   * windows ({@link RandomWindowDataset}). Validation and test are always contiguous. Default 'contiguous'.
   */
  readonly sampling?: 'contiguous' | 'random';
  /** Seed of the random windows. Default 0. */
  readonly seed?: number;
  /** Training batches per epoch with `sampling: 'random'`. */
  readonly batchesPerEpoch?: number;
  /** Drop the last, shorter training batch (contiguous sampling). Default false. */
  readonly dropLast?: boolean;
}

/** Defaults of {@link PrepareLanguageModelOptions}. */
export const PREPARE_LANGUAGE_MODEL_DEFAULTS = {
  evalBatchSize: 10,
  split: DEFAULT_LM_SPLIT,
  tokenizer: 'char',
  sampling: 'contiguous',
  seed: 0,
  dropLast: false,
} as const;

/** Train/validation/test next-token datasets cut from one text by contiguous ranges. */
export interface LanguageModelSplits {
  readonly train: LanguageModelDataset | RandomWindowDataset;
  readonly validation: LanguageModelDataset;
  readonly test: LanguageModelDataset;
  readonly tokenizer: Tokenizer;
  /** Size of the embedding table and the output layer. */
  readonly vocabSize: number;
  /** The token ids of each range. */
  readonly ids: { readonly train: Int32Array; readonly validation: Int32Array; readonly test: Int32Array };
  /** Code points in each range (to turn nats per token into bits per character for word models). */
  readonly characters: { readonly train: number; readonly validation: number; readonly test: number };
  /** UTF-16 `[start, end)` of each range in the text. */
  readonly ranges: SplitRanges;
}

const codePoints = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c < 0xe000 && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00)) n++;
  }
  return n;
};

/**
 * Cuts `text` into contiguous train | validation | test ranges, fits a tokenizer on the training range only, and
 * batchifies each range for next-token prediction.
 *
 * @example
 * const lm = prepareLanguageModel(text, { seqLen: 100, batchSize: 32 });
 * lm.vocabSize; // output layer size
 */
export function prepareLanguageModel(text: string, options: PrepareLanguageModelOptions): LanguageModelSplits {
  assertObject('prepareLanguageModel options', options, 'an options object { seqLen, batchSize, … }');
  checkOptions('prepareLanguageModel', options, PREPARE_LM_SPEC);
  if (options.split !== undefined) checkOptions('prepareLanguageModel split', options.split, SPLIT_FRACTIONS_SPEC);
  if (typeof text !== 'string') throw new ArgumentError('text', 'a string', describeValue(text));
  const opts = { ...PREPARE_LANGUAGE_MODEL_DEFAULTS, ...options };
  assertInteger('evalBatchSize', opts.evalBatchSize, 1);
  const parts = contiguousSplit(text, opts.split);
  let tokenizer: Tokenizer;
  if (opts.tokenizer === 'char') tokenizer = CharTokenizer.fit(parts.train, { ...(opts.tokenizerOptions as CharTokenizerOptions) });
  else if (opts.tokenizer === 'word') tokenizer = WordTokenizer.fit(parts.train, { ...(opts.tokenizerOptions as WordTokenizerOptions) });
  else tokenizer = opts.tokenizer;
  const ids = {
    train: tokenizer.encode(parts.train, { source: 'training range' }),
    validation: tokenizer.encode(parts.validation, { source: 'validation range' }),
    test: tokenizer.encode(parts.test, { source: 'test range' }),
  };
  const train =
    opts.sampling === 'random'
      ? new RandomWindowDataset(ids.train, {
          batchSize: opts.batchSize,
          seqLen: opts.seqLen,
          seed: opts.seed,
          ...(opts.batchesPerEpoch === undefined ? {} : { batchesPerEpoch: opts.batchesPerEpoch }),
        })
      : new LanguageModelDataset(ids.train, { batchSize: opts.batchSize, seqLen: opts.seqLen, dropLast: opts.dropLast });
  const evalOptions = { batchSize: opts.evalBatchSize, seqLen: opts.seqLen };
  return {
    train,
    validation: new LanguageModelDataset(ids.validation, evalOptions),
    test: new LanguageModelDataset(ids.test, evalOptions),
    tokenizer,
    vocabSize: tokenizer.vocabSize,
    ids,
    characters: { train: codePoints(parts.train), validation: codePoints(parts.validation), test: codePoints(parts.test) },
    ranges: parts.ranges,
  };
}
