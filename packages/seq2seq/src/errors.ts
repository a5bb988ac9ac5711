import { GatedError } from '@gated/tensor';

/**
 * An options object has a key this package does not know (a typo, or an option of another kind of model).
 * Code `GATED_SEQ2SEQ_UNKNOWN_OPTION`; the message suggests the nearest known key.
 */
export class UnknownOptionError extends GatedError<{ readonly where: string; readonly option: string; readonly known: readonly string[]; readonly suggestion: string | null }> {
  constructor(where: string, option: string, known: readonly string[], suggestion: string | null) {
    super(
      'GATED_SEQ2SEQ_UNKNOWN_OPTION',
      `${where}: expected one of the options ${known.join(', ')}, found "${option}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      { where, option, known, suggestion },
    );
  }
}

/**
 * A token id is outside the vocabulary it indexes, or a sequence is empty. Code `GATED_SEQ2SEQ_BAD_TOKENS`;
 * details name the argument, the row and the position.
 */
export class TokenSequenceError extends GatedError<{ readonly argument: string; readonly row: number; readonly position: number; readonly expected: string; readonly actual: string }> {
  constructor(argument: string, row: number, position: number, expected: string, actual: string) {
    super('GATED_SEQ2SEQ_BAD_TOKENS', `${argument}[${row}]${position >= 0 ? `[${position}]` : ''}: expected ${expected}, found ${actual}`, {
      argument,
      row,
      position,
      expected,
      actual,
    });
  }
}
