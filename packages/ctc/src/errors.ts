import { GatedError } from '@gated/tensor';

/** Stable codes of {@link CtcError}. */
export type CtcErrorCode =
  /** A target label equals the blank, is not an integer, or is outside [0, C). */
  | 'GATED_CTC_BAD_LABEL'
  /** A target has more labels than its input has frames: no alignment can exist. */
  | 'GATED_CTC_TARGET_TOO_LONG'
  /** An input or target length is negative, not an integer, or longer than its padded axis. */
  | 'GATED_CTC_BAD_LENGTH'
  /** Shapes of log-probabilities, targets and lengths disagree. */
  | 'GATED_CTC_BAD_SHAPE'
  /** An option key is unknown or its value is invalid. */
  | 'GATED_CTC_BAD_OPTION';

/** Typed payload of {@link CtcError}: what was expected and found, and where (batch item, position, option). */
export interface CtcErrorDetails {
  readonly expected: string;
  readonly actual: string;
  /** Batch item the problem is in. */
  readonly batch?: number;
  /** Position inside the target (for labels). */
  readonly position?: number;
  /** The argument or option key. */
  readonly argument?: string;
}

/** Bad input to the CTC loss or a decoder. */
export class CtcError extends GatedError<CtcErrorDetails> {
  declare readonly code: CtcErrorCode;

  constructor(code: CtcErrorCode, message: string, details: CtcErrorDetails) {
    super(code, message, details);
  }
}
