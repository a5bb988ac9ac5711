import { MusicFormatError } from './errors.js';

/** MIDI number of the lowest piano key (A0). */
export const LOWEST_NOTE = 21;
/** MIDI number of the highest piano key (C8). */
export const HIGHEST_NOTE = 108;
/** Keys of the piano roll: MIDI 21..108, key k is MIDI note 21 + k. */
export const PIANO_KEYS = HIGHEST_NOTE - LOWEST_NOTE + 1;

/**
 * A piece as a binary piano roll: `keys[t * 88 + k]` is 1 when MIDI note `21 + k` sounds at time step `t`.
 * JSB Chorales steps are quarter notes.
 */
export interface PianoRoll {
  /** Where the piece comes from, e.g. `jsb/test[3]`; named in errors. */
  readonly name: string;
  readonly steps: number;
  /** [steps, 88] row-major, 0/1. */
  readonly keys: Uint8Array;
}

/** Where a piece was read from, for error messages. */
export interface PieceSource {
  readonly file: string;
  readonly piece: string;
}

/**
 * Encodes a piece given as the MIDI notes sounding at each time step (JSB's JSON form) into an 88-key piano roll.
 * Throws {@link MusicFormatError} for a piece with no steps or no notes, a step that is not a list, or a note that
 * is not an integer in 21..108 — naming the file, the piece and the step.
 *
 * @example
 * const roll = encodePianoRoll([[60, 64, 67], [62, 65, 69]], { file: 'inline', piece: 'example' });
 * roll.keys[0 * 88 + (60 - 21)]; // 1
 */
export function encodePianoRoll(piece: unknown, source: PieceSource): PianoRoll {
  const fail = (code: 'GATED_MUSIC_MALFORMED' | 'GATED_MUSIC_EMPTY_PIECE' | 'GATED_MUSIC_NOTE_RANGE', step: number, expected: string, actual: string) =>
    new MusicFormatError(code, { file: source.file, piece: source.piece, step, expected, actual });
  if (!Array.isArray(piece)) throw fail('GATED_MUSIC_MALFORMED', -1, 'a list of time steps', describe(piece));
  if (piece.length === 0) throw fail('GATED_MUSIC_EMPTY_PIECE', -1, 'at least one time step', 'an empty list');
  const keys = new Uint8Array(piece.length * PIANO_KEYS);
  let notes = 0;
  piece.forEach((step: unknown, t) => {
    if (!Array.isArray(step)) throw fail('GATED_MUSIC_MALFORMED', t, 'a list of MIDI note numbers', describe(step));
    for (const note of step as unknown[]) {
      if (typeof note !== 'number' || !Number.isInteger(note)) throw fail('GATED_MUSIC_MALFORMED', t, 'integer MIDI note numbers', describe(note));
      if (note < LOWEST_NOTE || note > HIGHEST_NOTE) throw fail('GATED_MUSIC_NOTE_RANGE', t, `MIDI notes in ${LOWEST_NOTE}..${HIGHEST_NOTE}`, String(note));
      keys[t * PIANO_KEYS + note - LOWEST_NOTE] = 1;
      notes++;
    }
  });
  if (notes === 0) throw fail('GATED_MUSIC_EMPTY_PIECE', -1, 'at least one note', `${piece.length} silent steps`);
  return { name: `${source.piece}`, steps: piece.length, keys };
}

/** The MIDI notes sounding at each step of a piano roll (the inverse of {@link encodePianoRoll}). */
export function decodePianoRoll(roll: PianoRoll): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < roll.steps; t++) {
    const notes: number[] = [];
    for (let k = 0; k < PIANO_KEYS; k++) if (roll.keys[t * PIANO_KEYS + k] === 1) notes.push(LOWEST_NOTE + k);
    out.push(notes);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
