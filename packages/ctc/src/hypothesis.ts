/** A decoded label sequence and its log-domain score. */
export interface CtcHypothesis {
  /** Labels with repeats merged and blanks removed. */
  readonly tokens: readonly number[];
  /** Natural-log score: the best path's log-probability (greedy), or the prefix's total log-probability plus any `tokenScore` terms (beam). */
  readonly score: number;
}
