import { ArgumentError, checkOptions } from '@gated/tensor';
import { GraphemeError, PhonemeError } from './g2p-errors.js';

/** The graphemes of CMUdict's alphabetic words, lower-cased: a–z and the apostrophe (27). */
export const G2P_GRAPHEMES: readonly string[] = Object.freeze([..."abcdefghijklmnopqrstuvwxyz'"]);

/** The 39 ARPAbet phonemes of CMUdict (stress stripped), in CMUdict's phones.txt order. */
export const ARPABET_PHONEMES: readonly string[] = Object.freeze(
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' '),
);

const VOWELS = new Set(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);

/** The phonemes with lexical stress kept: each vowel as V0, V1, V2 (15 × 3 + 24 consonants = 69). */
export const ARPABET_STRESSED_PHONEMES: readonly string[] = Object.freeze(
  ARPABET_PHONEMES.flatMap((p) => (VOWELS.has(p) ? [`${p}0`, `${p}1`, `${p}2`] : [p])),
);

/** Reserved ids of {@link G2PVocabulary}'s phoneme side (the convention of @gated/seq2seq). */
const PHONEME_OFFSET = 3;

/**
 * Maps words to grapheme ids (1..27, 0 = padding) and pronunciations to phoneme ids (3.., with 0 padding,
 * 1 begin and 2 end of sequence), the id conventions of @gated/seq2seq.
 *
 * @example
 * const v = new G2PVocabulary();
 * v.encodeWord('Paste');            // [16, 1, 19, 20, 5]
 * v.decodePhonemes([29, 15, 31, 33]); // ['P', 'EY', 'S', 'T']
 */
export class G2PVocabulary {
  readonly graphemes: readonly string[];
  readonly phonemes: readonly string[];
  private readonly graphemeIds: ReadonlyMap<string, number>;
  private readonly phonemeIds: ReadonlyMap<string, number>;

  constructor(options: { readonly stress?: boolean } = {}) {
    checkOptions('new G2PVocabulary', options, { stress: 'boolean' });
    this.graphemes = G2P_GRAPHEMES;
    this.phonemes = options.stress ? ARPABET_STRESSED_PHONEMES : ARPABET_PHONEMES;
    this.graphemeIds = new Map(this.graphemes.map((g, i) => [g, i + 1]));
    this.phonemeIds = new Map(this.phonemes.map((p, i) => [p, i + PHONEME_OFFSET]));
  }

  /** Source ids including padding: 28. */
  get sourceVocabSize(): number {
    return this.graphemes.length + 1;
  }

  /** Target ids including padding, BOS and EOS. */
  get targetVocabSize(): number {
    return this.phonemes.length + PHONEME_OFFSET;
  }

  /** Lower-cases and maps each character; an empty word or a character outside a–z and ' is a {@link GraphemeError}. */
  encodeWord(word: string): number[] {
    if (typeof word !== 'string' || word.length === 0) throw new GraphemeError(String(word), -1, '', 'a letter');
    return [...word.toLowerCase()].map((ch, i) => {
      const id = this.graphemeIds.get(ch);
      if (id === undefined) throw new GraphemeError(word, i, ch, "a letter a–z or an apostrophe");
      return id;
    });
  }

  /** Phoneme ids of a pronunciation; an unknown phoneme is a {@link PhonemeError}. */
  encodePhonemes(phonemes: readonly string[]): number[] {
    return phonemes.map((p, i) => {
      const id = this.phonemeIds.get(p);
      if (id === undefined) throw new PhonemeError(p, i, `one of the ${this.phonemes.length} ARPAbet phonemes`);
      return id;
    });
  }

  /** Phonemes of ids ≥ 3 (ids below are reserved and rejected). */
  decodePhonemes(ids: readonly number[]): string[] {
    return ids.map((id, i) => {
      const p = this.phonemes[id - PHONEME_OFFSET];
      if (p === undefined || id < PHONEME_OFFSET) throw new ArgumentError(`ids[${i}]`, `a phoneme id in ${PHONEME_OFFSET}..${this.targetVocabSize - 1}`, String(id));
      return p;
    });
  }
}
