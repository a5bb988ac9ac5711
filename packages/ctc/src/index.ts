export { ctcLoss, CTC_LOSS_DEFAULTS } from './ctc-loss.js';
export type { CtcLossOptions, CtcReduction, CtcTargets } from './ctc-loss.js';
export type { CtcLengths, LogProbsInput } from './ctc-input.js';
export { greedyDecode, GREEDY_DEFAULTS } from './greedy-decode.js';
export type { GreedyDecodeOptions } from './greedy-decode.js';
export { prefixBeamSearch, BEAM_DEFAULTS } from './prefix-beam-search.js';
export type { PrefixBeamSearchOptions, TokenScore } from './prefix-beam-search.js';
export type { CtcHypothesis } from './hypothesis.js';
export { errorRates } from './error-rate.js';
// Levenshtein distance of two token sequences: @gated/tensor's, re-exported beside errorRates.
export { editDistance } from '@gated/tensor';
export type { ErrorRates } from './error-rate.js';
export { CtcError } from './errors.js';
export type { CtcErrorCode, CtcErrorDetails } from './errors.js';
