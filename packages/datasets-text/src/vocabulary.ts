import { ArgumentError, assertInteger, checkOptions } from '@gated/tensor';
import { VOCABULARY_SPEC } from './option-specs.js';

/** The reserved tokens a vocabulary may hold, always at the lowest ids in this order. */
export type SpecialToken = '<pad>' | '<unk>' | '<bos>' | '<eos>';

/** All reserved tokens in their id order: `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3. */
export const SPECIAL_TOKENS: readonly SpecialToken[] = ['<pad>', '<unk>', '<bos>', '<eos>'];

/** How a {@link Vocabulary} is chosen from token counts. */
export interface VocabularyOptions {
  /** Reserved tokens, placed first in {@link SPECIAL_TOKENS} order. Default all four. */
  readonly specials?: readonly SpecialToken[];
  /** Tokens seen fewer times than this are left out (they become `<unk>`). Default 1. */
  readonly minFrequency?: number;
  /** Largest vocabulary size, specials included; the most frequent tokens are kept. Default unlimited. */
  readonly maxVocabSize?: number;
}

/** Defaults of {@link VocabularyOptions}. */
export const VOCABULARY_DEFAULTS = { specials: SPECIAL_TOKENS, minFrequency: 1, maxVocabSize: Number.POSITIVE_INFINITY } as const;

/**
 * A fixed list of tokens and their ids. Specials come first, then tokens by descending training frequency
 * (ties in code-point order), so the same training text always gives the same ids.
 *
 * @example
 * const vocab = Vocabulary.fromCounts(new Map([['a', 5], ['b', 2]]));
 * vocab.id('a'); // 4 (after <pad> <unk> <bos> <eos>)
 */
export class Vocabulary {
  /** Every token, indexed by id. */
  readonly tokens: readonly string[];
  /** The reserved tokens this vocabulary holds, at ids 0..specials.length-1. */
  readonly specials: readonly SpecialToken[];
  /** Id of `<pad>`, `<unk>`, `<bos>`, `<eos>`, or -1 when the vocabulary does not hold it. */
  readonly padId: number;
  readonly unkId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly #ids: Map<string, number>;

  constructor(tokens: readonly string[], specials: readonly SpecialToken[]) {
    specials.forEach((s, i) => {
      if (!SPECIAL_TOKENS.includes(s)) throw new ArgumentError('specials', `a subset of ${SPECIAL_TOKENS.join(' ')}`, JSON.stringify(s));
      if (tokens[i] !== s) throw new ArgumentError(`tokens[${i}]`, `the special token ${s}`, JSON.stringify(tokens[i]));
    });
    const ids = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (typeof t !== 'string') throw new ArgumentError(`tokens[${i}]`, 'a string', typeof t);
      if (ids.has(t)) throw new ArgumentError(`tokens[${i}]`, 'a token not listed before', `a repeat of ${JSON.stringify(t)}`);
      ids.set(t, i);
    });
    this.tokens = Object.freeze([...tokens]);
    this.specials = Object.freeze([...specials]);
    this.#ids = ids;
    this.padId = this.#special('<pad>');
    this.unkId = this.#special('<unk>');
    this.bosId = this.#special('<bos>');
    this.eosId = this.#special('<eos>');
  }

  /** Builds a vocabulary from token counts (training text only), applying the frequency and size limits. */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabularyOptions = {}): Vocabulary {
    checkOptions('Vocabulary.fromCounts', options, VOCABULARY_SPEC);
    const opts = { ...VOCABULARY_DEFAULTS, ...options };
    assertInteger('minFrequency', opts.minFrequency, 1);
    if (opts.maxVocabSize !== Number.POSITIVE_INFINITY) assertInteger('maxVocabSize', opts.maxVocabSize, opts.specials.length + 1);
    const specials = SPECIAL_TOKENS.filter((s) => opts.specials.includes(s));
    const kept = [...counts].filter(([t, n]) => n >= opts.minFrequency && !specials.includes(t as SpecialToken));
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const room = opts.maxVocabSize - specials.length;
    return new Vocabulary([...specials, ...kept.slice(0, room).map(([t]) => t)], specials);
  }

  /** Number of tokens, specials included (the size of an embedding table or output layer). */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or undefined when it is not in the vocabulary. */
  id(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** The token with id `id`; throws an ArgumentError for an id outside the vocabulary. */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new ArgumentError('id', `a token id in 0..${this.tokens.length - 1}`, String(id));
    return t;
  }

  /** True when `id` is one of the reserved tokens. */
  isSpecial(id: number): boolean {
    return id >= 0 && id < this.specials.length;
  }

  #special(token: SpecialToken): number {
    return this.#ids.get(token) ?? -1;
  }
}
