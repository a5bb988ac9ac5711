import { type CtcLengths, type LogProbsInput, readLengths, viewLogProbs } from './ctc-input.js';
import { CtcError } from './errors.js';
import { checkBlank } from './greedy-decode.js';
import type { CtcHypothesis } from './hypothesis.js';
import { rejectUnknownOptions } from './options.js';

/**
 * A token-level prior or language model: the log-domain bonus for appending `token` to `prefix` (already weighted;
 * return e.g. `0.5 * Math.log(pLm(token | prefix)) + 1.0` for an LM weight and insertion bonus).
 */
export type TokenScore = (prefix: readonly number[], token: number) => number;

/** Options of {@link prefixBeamSearch}; defaults in {@link BEAM_DEFAULTS}. */
export interface PrefixBeamSearchOptions {
  /** Prefixes kept after each frame. */
  readonly beamWidth?: number;
  readonly blank?: number;
  /** Input is [B, T, C] instead of [T, B, C]. */
  readonly batchFirst?: boolean;
  /** Hypotheses returned per batch item, best first (at most `beamWidth`). */
  readonly nBest?: number;
  /** Skip extending with classes whose frame log-probability is below this (−∞ = consider every class). */
  readonly tokenPruneLogProb?: number;
  /** Optional prior / language model applied when a prefix grows by a token. */
  readonly tokenScore?: TokenScore;
}

/** Defaults of {@link prefixBeamSearch}. */
export const BEAM_DEFAULTS = { beamWidth: 8, blank: 0, batchFirst: false, nBest: 1, tokenPruneLogProb: Number.NEGATIVE_INFINITY } as const;

const NEG = Number.NEGATIVE_INFINITY;

function logAdd(a: number, b: number): number {
  if (a === NEG) return b;
  if (b === NEG) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** A prefix with the log-probabilities of its alignments ending in blank (pb) and in its last label (pnb). */
interface Beam {
  readonly tokens: readonly number[];
  pb: number;
  pnb: number;
  /** Σ of tokenScore terms along the prefix. */
  readonly prior: number;
}

const total = (beam: Beam): number => logAdd(beam.pb, beam.pnb) + beam.prior;

/**
 * CTC prefix beam search (Hannun et al. 2014): keeps the `beamWidth` best label prefixes, each with the summed
 * probability of every alignment that collapses to it, merging alignments that reach the same prefix. With a
 * beam as wide as the number of possible prefixes it is exact: each score is log p(prefix | x). An optional
 * `tokenScore` adds a prior or language-model term per appended token.
 *
 * @returns per batch item, up to `nBest` hypotheses, best first.
 * @example
 * const [[best]] = prefixBeamSearch(tf.logSoftmax(logits), [T], { beamWidth: 16 });
 */
export function prefixBeamSearch(logProbs: LogProbsInput, inputLengths?: CtcLengths, options: PrefixBeamSearchOptions = {}): CtcHypothesis[][] {
  const fn = 'prefixBeamSearch';
  rejectUnknownOptions(fn, options, [...Object.keys(BEAM_DEFAULTS), 'tokenScore']);
  const o = { ...BEAM_DEFAULTS, ...options };
  const view = viewLogProbs(fn, logProbs, o.batchFirst);
  checkBlank(fn, o.blank, view.C);
  for (const key of ['beamWidth', 'nBest'] as const) {
    const v = o[key];
    if (!Number.isInteger(v) || v < 1) throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: ${key} expected a positive integer, got ${v}`, { argument: key, expected: 'integer ≥ 1', actual: String(v) });
  }
  if (typeof o.tokenPruneLogProb !== 'number' || Number.isNaN(o.tokenPruneLogProb)) {
    throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: tokenPruneLogProb expected a number, got ${String(o.tokenPruneLogProb)}`, { argument: 'tokenPruneLogProb', expected: 'number', actual: String(o.tokenPruneLogProb) });
  }
  if (o.tokenScore !== undefined && typeof o.tokenScore !== 'function') {
    throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: tokenScore expected a function, got ${typeof o.tokenScore}`, { argument: 'tokenScore', expected: 'function', actual: typeof o.tokenScore });
  }
  const lengths = inputLengths === undefined ? new Int32Array(view.B).fill(view.T) : readLengths(fn, 'inputLengths', inputLengths, view.B, view.T, 'the time axis');
  const results: CtcHypothesis[][] = [];
  for (let b = 0; b < view.B; b++) {
    let beams = new Map<string, Beam>([['', { tokens: [], pb: 0, pnb: NEG, prior: 0 }]]);
    for (let t = 0; t < lengths[b]!; t++) {
      const at = view.offset(b) + t * view.strideT;
      const next = new Map<string, Beam>();
      const entry = (key: string, tokens: readonly number[], prior: () => number): Beam => {
        let beam = next.get(key);
        if (beam === undefined) {
          beam = { tokens, pb: NEG, pnb: NEG, prior: prior() };
          next.set(key, beam);
        }
        return beam;
      };
      for (const [key, beam] of beams) {
        const stay = entry(key, beam.tokens, () => beam.prior);
        const last = beam.tokens.at(-1);
        for (let c = 0; c < view.C; c++) {
          const p = view.data[at + c]!;
          if (p < o.tokenPruneLogProb) continue;
          if (c === o.blank) {
            // Any alignment of the prefix followed by a blank stays the same prefix, ending in blank.
            stay.pb = logAdd(stay.pb, logAdd(beam.pb, beam.pnb) + p);
            continue;
          }
          const tokens = [...beam.tokens, c];
          const grown = entry(key === '' ? String(c) : `${key},${c}`, tokens, () => beam.prior + (o.tokenScore ? o.tokenScore(beam.tokens, c) : 0));
          if (c === last) {
            // A repeated label is a new token only after a blank; without one it extends the last token.
            grown.pnb = logAdd(grown.pnb, beam.pb + p);
            stay.pnb = logAdd(stay.pnb, beam.pnb + p);
          } else {
            grown.pnb = logAdd(grown.pnb, logAdd(beam.pb, beam.pnb) + p);
          }
        }
      }
      const kept = [...next.entries()].sort((x, y) => total(y[1]) - total(x[1])).slice(0, o.beamWidth);
      beams = new Map(kept);
    }
    const ranked = [...beams.values()].sort((x, y) => total(y) - total(x)).slice(0, o.nBest);
    results.push(ranked.map((beam) => ({ tokens: beam.tokens, score: total(beam) })));
  }
  return results;
}
