import { assertInteger, assertNumberInRange } from '@gated/tensor';
import { checkOptionKeys } from './options.js';

/** Options of {@link greedyDecode}. */
export interface GreedyOptions {
  /** Most tokens generated per sequence (EOS included); default 100. A row that reaches it without EOS is returned with `finished: false`. */
  readonly maxLength?: number;
}

/** Options of {@link beamSearch}. */
export interface BeamSearchOptions extends GreedyOptions {
  /** Hypotheses kept per step; default 5. Width 1 is greedy decoding. */
  readonly beamWidth?: number;
  /**
   * Length normalisation exponent α: hypotheses are ranked by log p / |y|^α, |y| counting EOS. Default 0 (plain
   * log-probability); 1 ranks by the mean log-probability per token.
   */
  readonly lengthPenalty?: number;
}

/** Every decoding default, in one place. */
export const DECODE_DEFAULTS = { maxLength: 100, beamWidth: 5, lengthPenalty: 0 } as const satisfies Required<BeamSearchOptions>;

/** Fills in and checks greedy options. */
export function resolveGreedyOptions(options: GreedyOptions): Required<GreedyOptions> {
  checkOptionKeys('greedy decoding options', options, ['maxLength']);
  const maxLength = options.maxLength ?? DECODE_DEFAULTS.maxLength;
  assertInteger('maxLength', maxLength, 1);
  return { maxLength };
}

/** Fills in and checks beam-search options. */
export function resolveBeamOptions(options: BeamSearchOptions): Required<BeamSearchOptions> {
  checkOptionKeys('beam search options', options, ['maxLength', 'beamWidth', 'lengthPenalty']);
  const o = { ...DECODE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<BeamSearchOptions>;
  assertInteger('maxLength', o.maxLength, 1);
  assertInteger('beamWidth', o.beamWidth, 1);
  assertNumberInRange('lengthPenalty', o.lengthPenalty, 0, 10);
  return o;
}
