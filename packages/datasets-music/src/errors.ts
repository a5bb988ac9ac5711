import { GatedError } from '@gated/tensor';

/** The stable codes a {@link MusicFormatError} carries. */
export type MusicFormatCode = 'GATED_MUSIC_MALFORMED' | 'GATED_MUSIC_EMPTY_PIECE' | 'GATED_MUSIC_NOTE_RANGE';

/**
 * Typed payload of a {@link MusicFormatError}: the file, the piece (e.g. `train[12]` or a MIDI file's name), the
 * 0-based time step where that applies (-1 for the whole piece/file), and what was expected and found.
 */
export interface MusicFormatDetails {
  readonly file: string;
  readonly piece: string;
  readonly step: number;
  readonly expected: string;
  readonly actual: string;
}

/**
 * A music file or piece cannot be used: malformed JSON/MIDI or a wrong structure (`GATED_MUSIC_MALFORMED`), a
 * piece without time steps or without notes (`GATED_MUSIC_EMPTY_PIECE`), a note outside the piano's 21..108
 * (`GATED_MUSIC_NOTE_RANGE`). The message names the file, the piece and the step.
 */
export class MusicFormatError extends GatedError<MusicFormatDetails> {
  declare readonly code: MusicFormatCode;

  constructor(code: MusicFormatCode, details: MusicFormatDetails) {
    const where = `${details.file}, piece ${details.piece}${details.step >= 0 ? `, step ${details.step}` : ''}`;
    super(code, `${where}: expected ${details.expected}, found ${details.actual}`, details);
  }
}
