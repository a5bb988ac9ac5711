/** One decoded output sequence. */
export interface Hypothesis {
  /** Target ids, without BOS and without the final EOS. */
  readonly tokens: readonly number[];
  /** True when the sequence ended with EOS; false when decoding stopped at maxLength. */
  readonly finished: boolean;
  /** log p(y | x), EOS included when finished. */
  readonly logProb: number;
  /** The ranking score: logProb / (steps)^lengthPenalty (equals logProb for greedy decoding). */
  readonly score: number;
  /** Attention weights per generated step (EOS step included) over the valid source positions; empty without attention. */
  readonly attention: readonly (readonly number[])[];
}
