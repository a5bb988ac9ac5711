import { ArgumentError, editDistance } from '@gated/tensor';

/** Phoneme and word error rates of a set of predictions. */
export interface G2PErrorRates {
  /** Σ edit distance / Σ reference length, against each word's closest reference. */
  readonly per: number;
  /** Fraction of words whose prediction equals none of their references. */
  readonly wer: number;
  readonly phonemeErrors: number;
  readonly referencePhonemes: number;
  readonly wordErrors: number;
  readonly words: number;
}

/**
 * Phoneme error rate and word error rate of G2P predictions, with several reference pronunciations per word
 * counted as the G2P literature does (Bisani & Ney 2008; Yao & Zweig 2015): a word is right when the prediction
 * equals any of its references, and its phoneme errors are the edit distance to the closest reference (the
 * first such reference when several are equally close), divided by that reference's length in the total.
 *
 * @example
 * g2pErrorRates([['P', 'EY', 'S', 'T']], [[['P', 'EY', 'S', 'T']]]); // { per: 0, wer: 0, … }
 */
export function g2pErrorRates(predictions: readonly (readonly string[])[], references: readonly (readonly (readonly string[])[])[]): G2PErrorRates {
  if (predictions.length !== references.length) throw new ArgumentError('references', `${predictions.length} entries (one per prediction)`, String(references.length));
  if (predictions.length === 0) throw new ArgumentError('predictions', 'at least one prediction', 'none');
  let phonemeErrors = 0;
  let referencePhonemes = 0;
  let wordErrors = 0;
  predictions.forEach((hyp, i) => {
    const refs = references[i];
    if (refs === undefined || refs.length === 0) throw new ArgumentError(`references[${i}]`, 'at least one reference pronunciation', 'none');
    let best = Number.POSITIVE_INFINITY;
    let bestLength = 0;
    for (const ref of refs) {
      const d = editDistance(hyp, ref);
      if (d < best) [best, bestLength] = [d, ref.length];
    }
    phonemeErrors += best;
    referencePhonemes += bestLength;
    if (best > 0) wordErrors++;
  });
  return { per: phonemeErrors / referencePhonemes, wer: wordErrors / predictions.length, phonemeErrors, referencePhonemes, wordErrors, words: predictions.length };
}
