import { type CtcLengths, type LogProbsInput, readLengths, viewLogProbs } from './ctc-input.js';
import { CtcError } from './errors.js';
import type { CtcHypothesis } from './hypothesis.js';
import { rejectUnknownOptions } from './options.js';

/** Options of {@link greedyDecode}; defaults in {@link GREEDY_DEFAULTS}. */
export interface GreedyDecodeOptions {
  readonly blank?: number;
  /** Input is [B, T, C] instead of [T, B, C]. */
  readonly batchFirst?: boolean;
}

/** Defaults of {@link greedyDecode}. */
export const GREEDY_DEFAULTS = { blank: 0, batchFirst: false } as const satisfies Required<GreedyDecodeOptions>;

/** Throws unless `blank` is a class index. */
export function checkBlank(fn: string, blank: number, numClasses: number): void {
  if (!Number.isInteger(blank) || blank < 0 || blank >= numClasses) {
    throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: blank expected an integer in 0..${numClasses - 1}, got ${blank}`, { argument: 'blank', expected: `0..${numClasses - 1}`, actual: String(blank) });
  }
}

/**
 * Best-path decoding: the most likely class at every frame, repeats merged, blanks removed. The score is the
 * log-probability of that single path (Σ_t max_c log y_t(c)). Works on logits too (the path is the same), but
 * the score is then not a log-probability.
 *
 * @param inputLengths valid frames per batch item; default: all T.
 * @example
 * const [best] = greedyDecode(tf.logSoftmax(logits), [T]); // best.tokens, best.score
 */
export function greedyDecode(logProbs: LogProbsInput, inputLengths?: CtcLengths, options: GreedyDecodeOptions = {}): CtcHypothesis[] {
  const fn = 'greedyDecode';
  rejectUnknownOptions(fn, options, Object.keys(GREEDY_DEFAULTS));
  const o = { ...GREEDY_DEFAULTS, ...options };
  const view = viewLogProbs(fn, logProbs, o.batchFirst);
  checkBlank(fn, o.blank, view.C);
  const lengths = inputLengths === undefined ? new Int32Array(view.B).fill(view.T) : readLengths(fn, 'inputLengths', inputLengths, view.B, view.T, 'the time axis');
  const out: CtcHypothesis[] = [];
  for (let b = 0; b < view.B; b++) {
    const tokens: number[] = [];
    let score = 0;
    let previous = -1;
    for (let t = 0; t < lengths[b]!; t++) {
      const at = view.offset(b) + t * view.strideT;
      let best = 0;
      for (let c = 1; c < view.C; c++) if (view.data[at + c]! > view.data[at + best]!) best = c;
      score += view.data[at + best]!;
      if (best !== o.blank && best !== previous) tokens.push(best);
      previous = best;
    }
    out.push({ tokens, score });
  }
  return out;
}
