import { GatedError } from '@gated/tensor';

/**
 * A word cannot be spelled with the grapheme vocabulary: it is empty, or has a character outside it.
 * Codes `GATED_G2P_EMPTY_WORD` and `GATED_G2P_UNKNOWN_GRAPHEME`; details name the word and the position.
 */
export class GraphemeError extends GatedError<{ readonly word: string; readonly position: number; readonly character: string; readonly expected: string }> {
  constructor(word: string, position: number, character: string, expected: string) {
    super(
      position < 0 ? 'GATED_G2P_EMPTY_WORD' : 'GATED_G2P_UNKNOWN_GRAPHEME',
      position < 0
        ? `word ${JSON.stringify(word)}: expected at least one letter, found an empty word`
        : `word ${JSON.stringify(word)}: expected ${expected} at position ${position}, found ${JSON.stringify(character)}`,
      { word, position, character, expected },
    );
  }
}

/** A phoneme is not in the ARPAbet inventory of the model. Code `GATED_G2P_UNKNOWN_PHONEME`. */
export class PhonemeError extends GatedError<{ readonly phoneme: string; readonly position: number; readonly expected: string }> {
  constructor(phoneme: string, position: number, expected: string) {
    super('GATED_G2P_UNKNOWN_PHONEME', `pronunciation position ${position}: expected ${expected}, found ${JSON.stringify(phoneme)}`, { phoneme, position, expected });
  }
}
