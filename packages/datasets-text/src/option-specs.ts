import type { OptionSpec } from '@gated/tensor';

const NORMALIZATIONS = ['none', 'NFC', 'NFD', 'NFKC', 'NFKD'] as const;

/** The keys of {@link VocabularyOptions}. */
export const VOCABULARY_SPEC = { specials: 'array', minFrequency: 'integer', maxVocabSize: 'number' } as const satisfies OptionSpec;

/** The keys of {@link CharTokenizerOptions}. */
export const CHAR_TOKENIZER_SPEC = { ...VOCABULARY_SPEC, lowercase: 'boolean', normalization: NORMALIZATIONS, source: 'string' } as const satisfies OptionSpec;

/** The keys of {@link WordTokenizerOptions}. */
export const WORD_TOKENIZER_SPEC = { ...CHAR_TOKENIZER_SPEC, splitPunctuation: 'boolean' } as const satisfies OptionSpec;

/** The keys of {@link EncodeOptions} / {@link DecodeOptions}. */
export const ENCODE_SPEC = { addBos: 'boolean', addEos: 'boolean', source: 'string' } as const satisfies OptionSpec;
export const DECODE_SPEC = { skipSpecials: 'boolean' } as const satisfies OptionSpec;

/** The keys of {@link ReadTextOptions} and the readers built on it. */
export const READ_TEXT_SPEC = { chunkSize: 'integer' } as const satisfies OptionSpec;
export const READ_DELIMITED_SPEC = { ...READ_TEXT_SPEC, delimiter: 'string', textColumn: 'any', labelColumn: 'any', header: 'boolean' } as const satisfies OptionSpec;
export const READ_JSON_LINES_SPEC = { ...READ_TEXT_SPEC, textField: 'string', labelField: 'any' } as const satisfies OptionSpec;
export const READ_TEXT_FOLDER_SPEC = { extensions: 'array', labelFromFolder: 'boolean' } as const satisfies OptionSpec;

/** The keys of the datasets' options. */
export const RANDOM_WINDOW_SPEC = { batchSize: 'integer', seqLen: 'integer', batchesPerEpoch: 'integer', seed: 'integer' } as const satisfies OptionSpec;
export const CLASSIFICATION_DATASET_SPEC = {
  batchSize: 'integer',
  shuffle: 'boolean',
  seed: 'integer',
  dropLast: 'boolean',
  padding: ['longest', 'max'],
} as const satisfies OptionSpec;
export const PAD_SPEC = { maxLen: 'integer', truncation: ['post', 'pre', 'middle'], padId: 'integer' } as const satisfies OptionSpec;

/** The keys of {@link PrepareLanguageModelOptions}. */
export const PREPARE_LM_SPEC = {
  seqLen: 'integer',
  batchSize: 'integer',
  evalBatchSize: 'integer',
  split: 'object',
  tokenizer: 'any',
  tokenizerOptions: 'object',
  sampling: ['contiguous', 'random'],
  seed: 'integer',
  batchesPerEpoch: 'integer',
  dropLast: 'boolean',
} as const satisfies OptionSpec;

/** The keys of {@link PrepareClassificationOptions}. */
export const PREPARE_CLASSIFICATION_SPEC = {
  maxLen: 'integer',
  seed: 'integer',
  batchSize: 'integer',
  evalBatchSize: 'integer',
  split: 'object',
  tokenizer: 'any',
  tokenizerOptions: 'object',
  truncation: PAD_SPEC.truncation,
  classes: 'array',
  padding: ['longest', 'max'],
  emptyText: ['error', 'drop'],
} as const satisfies OptionSpec;

/** The keys of {@link SplitFractions}. */
export const SPLIT_FRACTIONS_SPEC = { train: 'number', validation: 'number', test: 'number' } as const satisfies OptionSpec;

/** The keys of the sampling options. */
export const SAMPLING_SPEC = { temperature: 'number', topK: 'integer' } as const satisfies OptionSpec;
export const SAMPLE_SPEC = { ...SAMPLING_SPEC, maxTokens: 'integer', seed: 'integer', rng: 'object', stopTokens: 'array' } as const satisfies OptionSpec;
export const GENERATE_SPEC = { ...SAMPLING_SPEC, maxTokens: 'integer', seed: 'integer', rng: 'object', prompt: 'string', stopAtEos: 'boolean' } as const satisfies OptionSpec;
