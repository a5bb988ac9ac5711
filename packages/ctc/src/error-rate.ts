import { CtcError } from './errors.js';

/** Levenshtein distance: the fewest substitutions, insertions and deletions turning `hypothesis` into `reference`. */
export function editDistance<T>(reference: readonly T[], hypothesis: readonly T[]): number {
  const row = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= hypothesis.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[hypothesis.length]!;
}

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
  references.forEach((ref, i) => {
    const d = editDistance(ref, hypotheses[i]!);
    edits += d;
    referenceTokens += ref.length;
    if (d === 0) exact++;
  });
  const sentences = references.length;
  return { tokenErrorRate: referenceTokens === 0 ? 0 : edits / referenceTokens, sentenceAccuracy: sentences === 0 ? 0 : exact / sentences, edits, referenceTokens, sentences };
}
