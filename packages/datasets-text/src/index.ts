// Tokenizers and vocabularies
export { Vocabulary, SPECIAL_TOKENS, VOCABULARY_DEFAULTS } from './vocabulary.js';
export type { SpecialToken, VocabularyOptions } from './vocabulary.js';
export type { Tokenizer, TokenizerJSON, EncodeOptions, DecodeOptions } from './tokenizer.js';
export type { UnicodeNormalization } from './text-normalize.js';
export { CharTokenizer, CHAR_TOKENIZER_DEFAULTS } from './char-tokenizer.js';
export type { CharTokenizerOptions } from './char-tokenizer.js';
export { WordTokenizer, WORD_TOKENIZER_DEFAULTS } from './word-tokenizer.js';
export type { WordTokenizerOptions } from './word-tokenizer.js';
export { saveTokenizer, loadTokenizer, tokenizerFromJSON, TOKENIZER_FORMAT_VERSION } from './tokenizer-file.js';

// Reading users' text, streamed
export { readTextFile, readTextLines } from './read-text-file.js';
export type { ReadTextOptions, TextLine } from './read-text-file.js';
export { readTextFolder } from './read-text-folder.js';
export type { ReadTextFolderOptions } from './read-text-folder.js';
export { readDelimited } from './read-delimited.js';
export type { ReadDelimitedOptions } from './read-delimited.js';
export { readJsonLines } from './read-json-lines.js';
export type { ReadJsonLinesOptions } from './read-json-lines.js';
export type { TextRecord } from './text-record.js';
export { collectLabelled } from './collect-labelled.js';
export { writeTokenIds, readTokenIds, encodeTextFile } from './token-id-file.js';

// Language-model data
export { contiguousSplit, contiguousRanges, DEFAULT_LM_SPLIT } from './contiguous-split.js';
export type { SplitFractions, SplitRanges } from './contiguous-split.js';
export { RandomWindowDataset } from './random-window-dataset.js';
export type { RandomWindowDatasetOptions } from './random-window-dataset.js';
export { prepareLanguageModel, PREPARE_LANGUAGE_MODEL_DEFAULTS } from './prepare-language-model.js';
export type { PrepareLanguageModelOptions, LanguageModelSplits } from './prepare-language-model.js';

// Classification data
export { LabelVocabulary } from './label-vocabulary.js';
export { padSequences } from './pad-sequences.js';
export type { PaddedSequences, PadOptions, Truncation } from './pad-sequences.js';
export { stratifiedSplit, DEFAULT_CLASSIFICATION_SPLIT } from './stratified-split.js';
export type { SplitIndices } from './stratified-split.js';
export { ClassificationDataset } from './classification-dataset.js';
export type { ClassificationDatasetOptions } from './classification-dataset.js';
export { prepareClassification, PREPARE_CLASSIFICATION_DEFAULTS } from './prepare-classification.js';
export type { PrepareClassificationOptions, ClassificationSplits } from './prepare-classification.js';

// Real corpora (installed npm packages, no network)
export { loadMobyDickText, loadMobyDickLM } from './moby-dick.js';
export type { MobyDickTextOptions, MobyDickLMOptions } from './moby-dick.js';
export { loadSpamAssassin, loadSpamClassification, SPAM_GROUPS } from './spam-assassin.js';
export type { SpamGroup, SpamEmail, SpamAssassinOptions, SpamClassificationOptions, SpamClassification } from './spam-assassin.js';
export { emailToText, htmlToText, decodeMailBytes } from './email-text.js';
export type { EmailText } from './email-text.js';

// Grapheme-to-phoneme data (CMUdict) and metrics
export { loadCmudict, splitByWord, WORD_SPLIT_DEFAULTS } from './cmudict.js';
export type { CmudictOptions, PronunciationEntry, WordSplitOptions, WordSplits } from './cmudict.js';
export { G2PVocabulary, G2P_GRAPHEMES, ARPABET_PHONEMES, ARPABET_STRESSED_PHONEMES } from './g2p-vocabulary.js';
export { g2pErrorRates } from './g2p-metrics.js';
export type { G2PErrorRates } from './g2p-metrics.js';
// Levenshtein distance of two token sequences: @gated/tensor's, re-exported beside g2pErrorRates.
export { editDistance } from '@gated/tensor';
export { GraphemeError, PhonemeError } from './g2p-errors.js';

// Sampling and metrics
export { sampleFromLogits, sampleTokens, generateText, recurrentStepper } from './sampling.js';
export type {
  Logits,
  NextTokenLogits,
  SamplingOptions,
  SampleOptions,
  GenerateTextOptions,
  GeneratedText,
  RecurrentLanguageModel,
  RecurrentStepper,
} from './sampling.js';
export { perplexity, bitsPerToken, bitsPerCharacter, crossEntropy } from './metrics.js';

// Errors
export {
  EmptyCorpusError,
  MissingColumnError,
  InvalidUtf8Error,
  TextRecordError,
  UnknownTokenError,
  VocabularyFileError,
} from './errors.js';
export type { TextLocation } from './errors.js';
