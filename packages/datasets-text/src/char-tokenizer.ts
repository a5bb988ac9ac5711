import { ArgumentError, checkOptions, describeValue } from '@gated/tensor';
import { EmptyCorpusError, UnknownTokenError } from './errors.js';
import { type StreamPosition, TokenizerBase } from './internal/tokenizer-base.js';
import { lineAt, normalizeText, type NormalizeOptions, type UnicodeNormalization, assertTexts } from './text-normalize.js';
import type { DecodeOptions, TokenizerJSON } from './tokenizer.js';
import { SPECIAL_TOKENS, type SpecialToken, Vocabulary } from './vocabulary.js';
import { CHAR_TOKENIZER_SPEC, DECODE_SPEC } from './option-specs.js';

/** Options of a {@link CharTokenizer}. */
export interface CharTokenizerOptions {
  /** Lower-case before tokenizing. Default false. */
  readonly lowercase?: boolean;
  /** Unicode normalization before tokenizing. Default 'none' (exact round-trip). */
  readonly normalization?: UnicodeNormalization;
  /** Reserved tokens. Default `<pad> <unk> <bos> <eos>`. */
  readonly specials?: readonly SpecialToken[];
  /** Characters seen fewer times in the training text become `<unk>`. Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary, specials included. Default unlimited. */
  readonly maxVocabSize?: number;
  /** Name of the training text in error messages. Default 'training text'. */
  readonly source?: string;
}

/** Defaults of {@link CharTokenizerOptions}. */
export const CHAR_TOKENIZER_DEFAULTS = {
  lowercase: false,
  normalization: 'none',
  specials: SPECIAL_TOKENS,
  minFrequency: 1,
  maxVocabSize: Number.POSITIVE_INFINITY,
  source: 'training text',
} as const satisfies Required<CharTokenizerOptions>;

const BMP = 0x10000;

// Counts code points into a dense table for the BMP (nearly all text) and a map for the rest.
class CharCounter {
  readonly bmp = new Float64Array(BMP);
  readonly astral = new Map<number, number>();
  total = 0;

  add(s: string): void {
    const bmp = this.bmp;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          const cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + BMP;
          this.astral.set(cp, (this.astral.get(cp) ?? 0) + 1);
          i++;
          this.total++;
          continue;
        }
      }
      bmp[c]!++;
      this.total++;
    }
  }

  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (let c = 0; c < BMP; c++) if (this.bmp[c]! > 0) out.set(String.fromCharCode(c), this.bmp[c]!);
    for (const [cp, n] of this.astral) out.set(String.fromCodePoint(cp), n);
    return out;
  }
}

/**
 * Character-level tokenizer: one id per Unicode code point, for character language models (bits per character).
 * Encoding is a table lookup per character (see the benchmark for its MB/s).
 *
 * @example
 * const tok = CharTokenizer.fit('call me ishmael');
 * tok.decode(tok.encode('me')); // 'me'
 */
export class CharTokenizer extends TokenizerBase {
  readonly kind = 'char' as const;
  readonly lowercase: boolean;
  readonly normalization: UnicodeNormalization;
  readonly #norm: NormalizeOptions;
  readonly #bmp: Int32Array;
  readonly #astral = new Map<number, number>();

  constructor(vocab: Vocabulary, options: Pick<CharTokenizerOptions, 'lowercase' | 'normalization'> = {}) {
    checkOptions('new CharTokenizer', options, { lowercase: 'boolean', normalization: CHAR_TOKENIZER_SPEC.normalization });
    super(vocab);
    this.lowercase = options.lowercase ?? CHAR_TOKENIZER_DEFAULTS.lowercase;
    this.normalization = options.normalization ?? CHAR_TOKENIZER_DEFAULTS.normalization;
    this.#norm = { lowercase: this.lowercase, normalization: this.normalization };
    this.#bmp = new Int32Array(BMP).fill(-1);
    vocab.tokens.forEach((t, id) => {
      if (vocab.isSpecial(id)) return;
      const cp = t.codePointAt(0);
      if (cp === undefined || t.length !== (cp < BMP ? 1 : 2)) throw new ArgumentError(`vocab.tokens[${id}]`, 'one character (code point)', JSON.stringify(t));
      // Astral characters and lone high surrogates miss the table and take the slow path.
      if (cp < 0xd800 || (cp >= 0xdc00 && cp < BMP)) this.#bmp[cp] = id;
      else this.#astral.set(cp, id);
    });
  }

  /** Learns the character vocabulary of `texts` (the training text only). */
  static fit(texts: string | Iterable<string>, options: CharTokenizerOptions = {}): CharTokenizer {
    checkOptions('CharTokenizer.fit', options, CHAR_TOKENIZER_SPEC);
    assertTexts('CharTokenizer.fit texts', texts);
    const opts = { ...CHAR_TOKENIZER_DEFAULTS, ...options };
    const counter = new CharCounter();
    for (const t of typeof texts === 'string' ? [texts] : texts) counter.add(normalizeText(t, opts));
    return CharTokenizer.#fromCounter(counter, opts);
  }

  /** Like {@link CharTokenizer.fit}, reading the training text from a stream (for example {@link readTextFile}). */
  static async fitAsync(texts: AsyncIterable<string> | Iterable<string>, options: CharTokenizerOptions = {}): Promise<CharTokenizer> {
    checkOptions('CharTokenizer.fitAsync', options, CHAR_TOKENIZER_SPEC);
    assertTexts('CharTokenizer.fitAsync texts', texts);
    const opts = { ...CHAR_TOKENIZER_DEFAULTS, ...options };
    const counter = new CharCounter();
    for await (const t of texts) counter.add(normalizeText(t, opts));
    return CharTokenizer.#fromCounter(counter, opts);
  }

  static #fromCounter(counter: CharCounter, opts: Required<CharTokenizerOptions>): CharTokenizer {
    if (counter.total === 0) throw new EmptyCorpusError({ file: opts.source });
    const vocab = Vocabulary.fromCounts(counter.counts(), { specials: opts.specials, minFrequency: opts.minFrequency, maxVocabSize: opts.maxVocabSize });
    return new CharTokenizer(vocab, { lowercase: opts.lowercase, normalization: opts.normalization });
  }

  tokenize(text: string): string[] {
    return Array.from(normalizeText(text, this.#norm));
  }

  protected encodeAt(text: string, at: StreamPosition): Int32Array {
    const s = this.lowercase || this.normalization !== 'none' ? normalizeText(text, this.#norm) : text;
    const table = this.#bmp;
    const unk = this.vocab.unkId;
    const out = new Int32Array(s.length);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let id = table[s.charCodeAt(i)]!;
      if (id < 0) {
        // Off the hot path: a surrogate pair (astral character), or a character outside the vocabulary.
        const start = i;
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c < 0xdc00) {
          const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
          if (d >= 0xdc00 && d < 0xe000) {
            id = this.#astral.get((c - 0xd800) * 0x400 + (d - 0xdc00) + BMP) ?? -1;
            i++;
          } else id = this.#astral.get(c) ?? -1; // a lone high surrogate
        }
        if (id < 0) {
          if (unk < 0) {
            throw new UnknownTokenError(String.fromCodePoint(s.codePointAt(start) ?? c), at.token + n, at.line + lineAt(s, start), at.source);
          }
          id = unk;
        }
      }
      out[n++] = id;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  protected splitComplete(text: string): [string, string] {
    // A chunk ending in a lone high surrogate waits for its pair.
    const last = text.charCodeAt(text.length - 1);
    return last >= 0xd800 && last < 0xdc00 ? [text.slice(0, -1), text.slice(-1)] : [text, ''];
  }

  protected join(tokens: string[]): string {
    return tokens.join('');
  }

  /** Same result as the generic decode, built from UTF-16 code units in blocks (much faster for long texts). */
  override decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkOptions('CharTokenizer.decode', options, DECODE_SPEC);
    if (typeof ids !== 'object' || ids === null || typeof ids.length !== 'number') throw new ArgumentError('ids', 'an array of token ids', describeValue(ids));
    const skip = options.skipSpecials ?? true;
    const { tokens, unkId } = this.vocab;
    const parts: string[] = [];
    const block = new Uint16Array(8192);
    let n = 0;
    const flush = (): void => {
      if (n > 0) parts.push(String.fromCharCode.apply(null, block.subarray(0, n) as unknown as number[]));
      n = 0;
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const t = tokens[id];
      if (t === undefined) throw new ArgumentError(`ids[${i}]`, `a token id in 0..${tokens.length - 1}`, String(id));
      if (this.vocab.isSpecial(id)) {
        if (skip && id !== unkId) continue;
        flush();
        parts.push(t);
        continue;
      }
      if (n + 2 > block.length) flush();
      block[n++] = t.charCodeAt(0);
      if (t.length === 2) block[n++] = t.charCodeAt(1);
    }
    flush();
    return parts.join('');
  }

  toJSON(): TokenizerJSON {
    return {
      format: 'gated-tokenizer',
      version: 1,
      kind: 'char',
      lowercase: this.lowercase,
      normalization: this.normalization,
      specials: this.vocab.specials,
      tokens: this.vocab.tokens,
    };
  }
}
