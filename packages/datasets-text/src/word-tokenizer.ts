import { EmptyCorpusError, UnknownTokenError } from './errors.js';
import { type StreamPosition, TokenizerBase } from './internal/tokenizer-base.js';
import { scanWords } from './internal/word-scanner.js';
import { lineAt, normalizeText, type NormalizeOptions, type UnicodeNormalization, assertTexts } from './text-normalize.js';
import type { TokenizerJSON } from './tokenizer.js';
import { SPECIAL_TOKENS, type SpecialToken, Vocabulary } from './vocabulary.js';
import { checkOptions } from '@gated/tensor';
import { WORD_TOKENIZER_SPEC } from './option-specs.js';

/** Options of a {@link WordTokenizer}. */
export interface WordTokenizerOptions {
  /** Lower-case before tokenizing. Default true. */
  readonly lowercase?: boolean;
  /** Unicode normalization before tokenizing. Default 'NFKC' (folds compatibility forms such as ligatures). */
  readonly normalization?: UnicodeNormalization;
  /**
   * Split punctuation off words: every punctuation or symbol character is its own token, and a word is a run of
   * letters, marks, digits and `_` with inner apostrophes (`don't`, `whale’s`). When false, tokens are the
   * whitespace-separated pieces. Default true.
   */
  readonly splitPunctuation?: boolean;
  /** Reserved tokens. Default `<pad> <unk> <bos> <eos>`. */
  readonly specials?: readonly SpecialToken[];
  /** Words seen fewer times in the training text become `<unk>`. Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary, specials included; the most frequent words are kept. Default unlimited. */
  readonly maxVocabSize?: number;
  /** Name of the training text in error messages. Default 'training text'. */
  readonly source?: string;
}

/** Defaults of {@link WordTokenizerOptions}. */
export const WORD_TOKENIZER_DEFAULTS = {
  lowercase: true,
  normalization: 'NFKC',
  splitPunctuation: true,
  specials: SPECIAL_TOKENS,
  minFrequency: 1,
  maxVocabSize: Number.POSITIVE_INFINITY,
  source: 'training text',
} as const satisfies Required<WordTokenizerOptions>;

const WORDS_AND_PUNCTUATION = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*|[^\s\p{L}\p{M}\p{N}_]/gu;
const WHITESPACE_PIECES = /\S+/gu;

/**
 * Word-level tokenizer. `decode` joins words with single spaces, so `tokenize(decode(encode(t)))` equals
 * `tokenize(t)` (the tokens round-trip; the original spacing does not).
 *
 * @example
 * const tok = WordTokenizer.fit(['Call me Ishmael.'], { minFrequency: 1 });
 * tok.tokenize('Call me!'); // ['call', 'me', '!']
 */
export class WordTokenizer extends TokenizerBase {
  readonly kind = 'word' as const;
  readonly lowercase: boolean;
  readonly normalization: UnicodeNormalization;
  readonly splitPunctuation: boolean;
  readonly #norm: NormalizeOptions;
  readonly #pattern: RegExp;

  constructor(vocab: Vocabulary, options: Pick<WordTokenizerOptions, 'lowercase' | 'normalization' | 'splitPunctuation'> = {}) {
    checkOptions('new WordTokenizer', options, { lowercase: 'boolean', normalization: WORD_TOKENIZER_SPEC.normalization, splitPunctuation: 'boolean' });
    super(vocab);
    this.lowercase = options.lowercase ?? WORD_TOKENIZER_DEFAULTS.lowercase;
    this.normalization = options.normalization ?? WORD_TOKENIZER_DEFAULTS.normalization;
    this.splitPunctuation = options.splitPunctuation ?? WORD_TOKENIZER_DEFAULTS.splitPunctuation;
    this.#norm = { lowercase: this.lowercase, normalization: this.normalization };
    this.#pattern = this.splitPunctuation ? WORDS_AND_PUNCTUATION : WHITESPACE_PIECES;
  }

  /** Learns the word vocabulary of `texts` (the training texts only). */
  static fit(texts: string | Iterable<string>, options: WordTokenizerOptions = {}): WordTokenizer {
    checkOptions('WordTokenizer.fit', options, WORD_TOKENIZER_SPEC);
    assertTexts('WordTokenizer.fit texts', texts);
    const opts = { ...WORD_TOKENIZER_DEFAULTS, ...options };
    const counts = new Map<string, number>();
    const probe = new WordTokenizer(new Vocabulary([], []), textOptions(opts));
    for (const t of typeof texts === 'string' ? [texts] : texts) probe.#count(t, counts);
    return WordTokenizer.#fromCounts(counts, opts);
  }

  /** Like {@link WordTokenizer.fit}, reading the training texts from a stream; each item must end on a word boundary (lines, records, files). */
  static async fitAsync(texts: AsyncIterable<string> | Iterable<string>, options: WordTokenizerOptions = {}): Promise<WordTokenizer> {
    checkOptions('WordTokenizer.fitAsync', options, WORD_TOKENIZER_SPEC);
    assertTexts('WordTokenizer.fitAsync texts', texts);
    const opts = { ...WORD_TOKENIZER_DEFAULTS, ...options };
    const counts = new Map<string, number>();
    const probe = new WordTokenizer(new Vocabulary([], []), textOptions(opts));
    for await (const t of texts) probe.#count(t, counts);
    return WordTokenizer.#fromCounts(counts, opts);
  }

  static #fromCounts(counts: Map<string, number>, opts: Required<WordTokenizerOptions>): WordTokenizer {
    if (counts.size === 0) throw new EmptyCorpusError({ file: opts.source }, 'at least one word of text');
    return new WordTokenizer(Vocabulary.fromCounts(counts, { specials: opts.specials, minFrequency: opts.minFrequency, maxVocabSize: opts.maxVocabSize }), textOptions(opts));
  }

  #count(text: string, counts: Map<string, number>): void {
    for (const t of this.tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  }

  tokenize(text: string): string[] {
    return this.#split(normalizeText(text, this.#norm));
  }

  #split(s: string): string[] {
    return this.splitPunctuation ? scanWords(s) : (s.match(WHITESPACE_PIECES) ?? []);
  }

  protected encodeAt(text: string, at: StreamPosition): Int32Array {
    const s = normalizeText(text, this.#norm);
    const tokens = this.#split(s);
    const unk = this.vocab.unkId;
    const ids = new Int32Array(tokens.length);
    for (const [k, token] of tokens.entries()) {
      const id = this.vocab.id(token);
      if (id !== undefined) ids[k] = id;
      else if (unk >= 0) ids[k] = unk;
      else {
        // The k-th match of the pattern is the k-th token; its index gives the line.
        const m = [...s.matchAll(this.#pattern)][k];
        throw new UnknownTokenError(m?.[0] ?? token, at.token + k, at.line + lineAt(s, m?.index ?? 0), at.source);
      }
    }
    return ids;
  }

  protected splitComplete(text: string): [string, string] {
    const m = /\s(?=\S*$)/u.exec(text);
    return m === null ? ['', text] : [text.slice(0, m.index + 1), text.slice(m.index + 1)];
  }

  protected join(tokens: string[]): string {
    return tokens.join(' ');
  }

  toJSON(): TokenizerJSON {
    return {
      format: 'gated-tokenizer',
      version: 1,
      kind: 'word',
      lowercase: this.lowercase,
      normalization: this.normalization,
      splitPunctuation: this.splitPunctuation,
      specials: this.vocab.specials,
      tokens: this.vocab.tokens,
    };
  }
}

/** The options a {@link WordTokenizer} instance keeps (the vocabulary options are used up by `fit`). */
function textOptions(o: Required<WordTokenizerOptions>): Pick<WordTokenizerOptions, 'lowercase' | 'normalization' | 'splitPunctuation'> {
  return { lowercase: o.lowercase, normalization: o.normalization, splitPunctuation: o.splitPunctuation };
}
