import { editDistance } from '@gated/tensor';
import { CtcError } from './errors.js';

/** Corpus-level error rates of decoded sequences against references. */
export interface ErrorRates {
  /** Σ edit distance / Σ reference length (word/digit/character error rate, depending on the tokens). */
  readonly tokenErrorRate: number;
  /** Fraction of sequences decoded exactly. */
  readonly sentenceAccuracy: number;
  readonly edits: number;
  readonly referenceTokens: number;
  readonly sentences: number;
}

/**
 * Token error rate (Σ edits / Σ reference tokens — the digit error rate when tokens are digits) and sentence
 * accuracy over a corpus.
 *
 * @example
 * errorRates([[1, 2, 3]], [[1, 3]]).tokenErrorRate; // 1/3
 */
export function errorRates<T>(references: readonly (readonly T[])[], hypotheses: readonly (readonly T[])[]): ErrorRates {
  if (references.length !== hypotheses.length) {
    throw new CtcError('GATED_CTC_BAD_SHAPE', `errorRates: expected as many hypotheses as references (${references.length}), got ${hypotheses.length}`, {
      argument: 'hypotheses',
      expected: String(references.length),
      actual: String(hypotheses.length),
    });
  }
  let edits = 0;
  let referenceTokens = 0;
  let exact = 0;
  for (const [i, hypothesis] of hypotheses.entries()) {
    // As many references as hypotheses (checked above).
    const reference = references[i] ?? [];
    const d = editDistance(reference, hypothesis);
    edits += d;
    referenceTokens += reference.length;
    if (d === 0) exact++;
  }
  const sentences = references.length;
  return { tokenErrorRate: referenceTokens === 0 ? 0 : edits / referenceTokens, sentenceAccuracy: sentences === 0 ? 0 : exact / sentences, edits, referenceTokens, sentences };
}
