import type { UnicodeNormalization } from './text-normalize.js';
import type { SpecialToken, Vocabulary } from './vocabulary.js';

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Put `<bos>` before the ids (the vocabulary must hold it). Default false. */
  readonly addBos?: boolean;
  /** Put `<eos>` after the ids (the vocabulary must hold it). Default false. */
  readonly addEos?: boolean;
  /** Name of the input (a file path) used in error messages. */
  readonly source?: string;
}

/** Options of {@link Tokenizer.decode}. */
export interface DecodeOptions {
  /** Leave out `<pad>`, `<bos>` and `<eos>` (`<unk>` is always written as `<unk>`). Default true. */
  readonly skipSpecials?: boolean;
}

/** The saved form of a tokenizer (see {@link saveTokenizer}). `version` changes when the format does. */
export interface TokenizerJSON {
  readonly format: 'gated-tokenizer';
  readonly version: 1;
  readonly kind: 'char' | 'word';
  readonly lowercase: boolean;
  readonly normalization: UnicodeNormalization;
  /** Word tokenizers only. */
  readonly splitPunctuation?: boolean;
  readonly specials: readonly SpecialToken[];
  /** Every token in id order, specials first. */
  readonly tokens: readonly string[];
}

/**
 * What every tokenizer offers: turn text into int32 ids and back, with a fixed {@link Vocabulary} learnt from
 * training text only.
 */
export interface Tokenizer {
  readonly kind: 'char' | 'word';
  readonly vocab: Vocabulary;
  /** `vocab.size`: the size of an embedding table or an output layer. */
  readonly vocabSize: number;
  /** The tokens of `text` after normalization, before the vocabulary lookup. */
  tokenize(text: string): string[];
  /**
   * The ids of `text`. A token outside the vocabulary becomes `<unk>`, or throws an UnknownTokenError
   * naming the token and line when the vocabulary has no `<unk>`.
   */
  encode(text: string, options?: EncodeOptions): Int32Array;
  /** The text of `ids`: characters concatenated, or words joined by single spaces. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  /**
   * Encodes a stream of text chunks (for example {@link readTextFile}) piece by piece, so a corpus larger than
   * memory can be tokenized. Words split across chunk boundaries are joined before encoding.
   */
  encodeStream(chunks: AsyncIterable<string> | Iterable<string>, options?: Omit<EncodeOptions, 'addBos' | 'addEos'>): AsyncGenerator<Int32Array>;
  /** The JSON form written by {@link saveTokenizer}. */
  toJSON(): TokenizerJSON;
}
